/**
 * What the ticket service needs from the rest of the application: the translator (texts in each
 * person's language), the notifier (messages to one account inside the caller's transaction) and
 * the event bus its changes are published on (`ticket.changed`). The tickets module builds one and
 * hands it to the flow effects, the staff inbox and the scheduler alike, so every change to a
 * ticket goes through the same hands.
 */
import type { EventPublisher } from '../../../events/index.js';
import type { AccountNotifier } from '../../../notify/account-notifier.js';
import type { Translator } from '../../../i18n/translator.js';
import './ticket-change.js';

export interface TicketServiceDeps {
  translator: Translator;
  notifier: AccountNotifier;
  /** `ticket.changed` is published on it inside every change's transaction (`NO_EVENTS` alone). */
  events: EventPublisher;
  /** The clock (tests move it); default `new Date()`. */
  now?: () => Date;
}

/** The deps' clock. */
export function clockOf(deps: Pick<TicketServiceDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date();
}
