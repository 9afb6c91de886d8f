/**
 * Several observers as one: the staff inbox and the deadline scheduler both hear of every change,
 * in the order they were added, inside the change's transaction. The composition root creates the
 * list before the parts that observe exist, and adds them as they are built.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { TicketChange, TicketObserver } from './ticket-observer.js';

export class TicketObserverList implements TicketObserver {
  private readonly observers: TicketObserver[] = [];

  /** Adds an observer; it hears of changes made from now on. */
  add(observer: TicketObserver): void {
    this.observers.push(observer);
  }

  async ticketChanged(tx: Tx, change: TicketChange): Promise<void> {
    // One after another: a transaction runs one statement at a time.
    for (const observer of this.observers) await observer.ticketChanged(tx, change);
  }
}
