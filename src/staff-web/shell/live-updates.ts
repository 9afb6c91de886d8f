/**
 * Tells every open staff page that something it may show changed: a ticket (filed, answered,
 * claimed… in the console, in a Telegram topic, a WeChat room or by a deadline) or a binding
 * request. It hears the event bus after commit, so a page never refreshes to a state that was
 * rolled back. The message names only the kind and the record's id; the page asks again for
 * what it shows, with the viewer's own scope, so nobody learns of a ticket outside their areas.
 */
import { EventEmitter } from 'node:events';
import type { EventSubscriber } from '../../events/index.js';

export interface LiveChange {
  kind: 'ticket' | 'request';
  id: string;
}

export type LiveListener = (change: LiveChange) => void;

export class LiveUpdates {
  private readonly emitter = new EventEmitter();

  constructor(events: EventSubscriber, communityId: string) {
    // One listener per open page: the default cap of 10 would only produce warnings.
    this.emitter.setMaxListeners(0);
    events.onCommitted('ticket.changed', async (change) => {
      if (change.communityId === communityId) this.emit({ kind: 'ticket', id: change.ticketId });
    });
    events.onCommitted('binding_request.changed', async (change) => {
      if (change.communityId === communityId) this.emit({ kind: 'request', id: change.requestId });
    });
  }

  emit(change: LiveChange): void {
    this.emitter.emit('change', change);
  }

  /** Calls `listener` with every change from now on; returns the way to stop. */
  subscribe(listener: LiveListener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  get listeners(): number {
    return this.emitter.listenerCount('change');
  }
}
