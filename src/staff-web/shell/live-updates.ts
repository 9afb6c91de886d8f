/**
 * Tells every open staff page that something it may show changed: a ticket (filed, answered,
 * claimed… in the console, in a Telegram topic, a WeChat room or by a deadline; a repair job's
 * dispatch), a binding request, or an alert's roll-call (a household answered). A page never hears of a change that was rolled back: on PostgreSQL each change's
 * transaction `pg_notify`s (delivered on commit, to every process: a deadline passed in a worker
 * process reaches the pages the serving process holds); on the embedded database (one process)
 * the bus's after-commit listeners do. The message names only the kind and the record's id; the
 * page asks again for what it shows, with the viewer's own scope, so nobody learns of a ticket
 * outside their areas.
 */
import { EventEmitter } from 'node:events';
import type { ChangeListener } from '../../db/change-listener.js';
import type { EventSubscriber } from '../../events/index.js';
import '../../features/repairs/work-order-events.js';
import '../../features/notices/notice-events.js';
import '../../features/meetings/floor/floor-events.js';

export interface LiveChange {
  kind: 'ticket' | 'request' | 'notice' | 'meeting';
  id: string;
}

export type LiveListener = (change: LiveChange) => void;

/** The PostgreSQL channel (one per database; the community's id in each payload tells communities apart). */
const CHANNEL = 'linli_staff_live';

export class LiveUpdates {
  private readonly emitter = new EventEmitter();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    events: EventSubscriber,
    private readonly communityId: string,
    private readonly listen?: ChangeListener,
  ) {
    // One listener per open page: the default cap of 10 would only produce warnings.
    this.emitter.setMaxListeners(0);
    if (listen) {
      const notify = async (tx: Parameters<Parameters<EventSubscriber['on']>[1]>[0], change: LiveChange & { communityId: string }) => {
        await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(change)})`;
      };
      events.on('ticket.changed', (tx, change) => notify(tx, { communityId: change.communityId, kind: 'ticket', id: change.ticketId }));
      events.on('binding_request.changed', (tx, change) => notify(tx, { communityId: change.communityId, kind: 'request', id: change.requestId }));
      // A repair job's dispatch is shown on its ticket's page.
      events.on('work_order.changed', (tx, change) => notify(tx, { communityId: change.communityId, kind: 'ticket', id: change.ticketId }));
      // A household's answer to an alert: its roll-call page counts again.
      events.on('notice.answered', (tx, answer) => notify(tx, { communityId: answer.communityId, kind: 'notice', id: answer.noticeId }));
      // A sitting's floor: check-ins and votes as they come.
      events.on('meeting.floor_changed', (tx, change) => notify(tx, { communityId: change.communityId, kind: 'meeting', id: change.meetingId }));
    } else {
      events.onCommitted('ticket.changed', async (change) => {
        if (change.communityId === communityId) this.emit({ kind: 'ticket', id: change.ticketId });
      });
      events.onCommitted('binding_request.changed', async (change) => {
        if (change.communityId === communityId) this.emit({ kind: 'request', id: change.requestId });
      });
      events.onCommitted('work_order.changed', async (change) => {
        if (change.communityId === communityId) this.emit({ kind: 'ticket', id: change.ticketId });
      });
      events.onCommitted('notice.answered', async (answer) => {
        if (answer.communityId === communityId) this.emit({ kind: 'notice', id: answer.noticeId });
      });
      events.onCommitted('meeting.floor_changed', async (change) => {
        if (change.communityId === communityId) this.emit({ kind: 'meeting', id: change.meetingId });
      });
    }
  }

  /** Starts hearing other processes' changes (PostgreSQL; a serving process). */
  async start(): Promise<void> {
    if (!this.listen || this.unlisten) return;
    this.unlisten = await this.listen(CHANNEL, (payload) => {
      const change = readChange(payload);
      if (change && change.communityId === this.communityId) this.emit({ kind: change.kind, id: change.id });
    });
  }

  async stop(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.();
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

function readChange(payload: string): (LiveChange & { communityId: string }) | null {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    const kind = value['kind'];
    if ((kind === 'ticket' || kind === 'request' || kind === 'notice' || kind === 'meeting') && typeof value['id'] === 'string' && typeof value['communityId'] === 'string') {
      return { kind, id: value['id'], communityId: value['communityId'] };
    }
  } catch {
    // Not ours.
  }
  return null;
}
