/**
 * What the ticket service tests share: the real translator and notifier, a bus with a listener
 * that records every `ticket.changed` it hears, and a clock the test moves.
 */
import { join } from 'node:path';
import { AccountNotifier } from '../../../../src/notify/account-notifier.js';
import type { Tx } from '../../../../src/db/prisma-types.js';
import { loadTranslator } from '../../../../src/i18n/translator.js';
import { EventBus } from '../../../../src/events/index.js';
import type { TicketChange } from '../../../../src/features/tickets/service/ticket-change.js';
import type { TicketServiceDeps } from '../../../../src/features/tickets/service/ticket-service-deps.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', '..', 'locales'));

/** Records every change it is told of (and checks it is told inside a transaction). */
export class RecordingListener {
  readonly changes: TicketChange[] = [];
  failNext = false;
  async ticketChanged(tx: Tx, change: TicketChange): Promise<void> {
    // The event it names exists in the very transaction it is called in.
    await tx.ticketEvent.findUniqueOrThrow({ where: { id: change.eventId } });
    if (this.failNext) {
      this.failNext = false;
      throw new Error('listener failed');
    }
    this.changes.push(change);
  }
}

export interface TestDeps extends TicketServiceDeps {
  observer: RecordingListener;
  events: EventBus;
  clock: { now: Date };
}

/** Deps over the project's locales, with a movable clock starting at `start`. */
export function testDeps(start: Date): TestDeps {
  const clock = { now: start };
  const observer = new RecordingListener();
  const events = new EventBus();
  events.on('ticket.changed', (tx, change) => observer.ticketChanged(tx, change));
  return { translator, notifier: new AccountNotifier({ translator }), observer, events, clock, now: () => clock.now };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
