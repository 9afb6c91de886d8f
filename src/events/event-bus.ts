/**
 * The one event bus: a feature publishes what happened inside the change's own transaction
 * (`publish(tx, name, payload)`), and listeners — subscribed when the modules are installed — run
 * one after another with that same `tx`, so what they write commits or rolls back with the change,
 * and a listener that throws rolls the change back. What must wait for the commit (a job on a
 * queue, a file deleted, a log line) subscribes with `onCommitted`: it runs through the
 * after-commit work of the transaction (src/db/after-commit.ts), never for one rolled back, and is
 * skipped where nobody runs that work (the command line: the sweeps take over).
 *
 * @example
 * const bus = new EventBus();
 * bus.on('ticket.changed', (tx, change) => writeCard(tx, change));
 * bus.onCommitted('ticket.changed', (change) => scheduleDeadlines(change.ticketId));
 * await bus.publish(tx, 'ticket.changed', { communityId, ticketId, eventId, kind: 'filed' });
 */
import { runAfterCommit } from '../db/after-commit.js';
import type { Tx } from '../db/prisma-types.js';
import type { AppEventName, AppEvents } from './app-events.js';

/** Runs inside the change's transaction: use only `tx`. */
export type EventListener<K extends AppEventName> = (tx: Tx, payload: AppEvents[K]) => Promise<void>;
/** Runs once the change has committed; must not throw (the change stands, and nobody is told). */
export type CommittedListener<K extends AppEventName> = (payload: AppEvents[K]) => Promise<void>;

/** What a feature that publishes needs of the bus. */
export interface EventPublisher {
  publish<K extends AppEventName>(tx: Tx, name: K, payload: AppEvents[K]): Promise<void>;
}

/** What a module that listens needs of the bus. */
export interface EventSubscriber {
  on<K extends AppEventName>(name: K, listener: EventListener<K>): void;
  onCommitted<K extends AppEventName>(name: K, listener: CommittedListener<K>): void;
}

/** Publishes to nobody: for the command line and tests of one feature alone. */
export const NO_EVENTS: EventPublisher = { publish: async () => {} };

type AnyListener = (tx: Tx, payload: never) => Promise<void>;

export class EventBus implements EventPublisher, EventSubscriber {
  private readonly listeners = new Map<string, AnyListener[]>();

  /** Hears `name` inside the change's transaction, after the listeners subscribed before it. */
  on<K extends AppEventName>(name: K, listener: EventListener<K>): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as AnyListener);
    this.listeners.set(name, list);
  }

  /** Hears `name` once the change has committed (in subscription order, among the other after-commit work). */
  onCommitted<K extends AppEventName>(name: K, listener: CommittedListener<K>): void {
    this.on(name, async (tx, payload) => {
      runAfterCommit(tx, () => listener(payload));
    });
  }

  async publish<K extends AppEventName>(tx: Tx, name: K, payload: AppEvents[K]): Promise<void> {
    // One after another: a transaction runs one statement at a time.
    for (const listener of this.listeners.get(name) ?? []) await (listener as EventListener<K>)(tx, payload);
  }
}
