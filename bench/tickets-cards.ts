/**
 * What reached the staff chat in `npm run bench:tickets`: a card is a message with buttons whose
 * text names a ticket number (its title line, `📋 MQ-…｜…`). Every ticket a resident was given
 * must have exactly one card: more is a duplicate, none is missing.
 */
import type { SentMessage } from '../test/fakes/telegram-bot-api/index.js';
import { TICKET_NUMBER } from './tickets-residents.js';

export interface CardTally {
  /** Cards per ticket number. */
  cardsOf: Map<string, SentMessage[]>;
  /** Numbers the residents got with no card, and with more than one. */
  missing: string[];
  duplicated: string[];
  /** Cards for numbers no resident was given. */
  strangers: string[];
  /** Messages in the staff chat that are not cards. */
  otherMessages: number;
}

export function tallyCards(groupMessages: readonly SentMessage[], numbers: readonly string[]): CardTally {
  const cardsOf = new Map<string, SentMessage[]>();
  let otherMessages = 0;
  for (const message of groupMessages) {
    const number = TICKET_NUMBER.exec(message.text ?? '')?.[0];
    if (message.method === 'editMessageText' || !number || !message.keyboard) {
      otherMessages += 1;
      continue;
    }
    cardsOf.set(number, [...(cardsOf.get(number) ?? []), message]);
  }
  const given = new Set(numbers);
  return {
    cardsOf,
    missing: numbers.filter((n) => !cardsOf.has(n)),
    duplicated: numbers.filter((n) => (cardsOf.get(n)?.length ?? 0) > 1),
    strangers: [...cardsOf.keys()].filter((n) => !given.has(n)),
    otherMessages,
  };
}

/** Whether every given number has at least one card (the wait for cards can stop). */
export function allCarded(groupMessages: readonly SentMessage[], numbers: readonly string[]): boolean {
  const carded = new Set(groupMessages.filter((m) => m.keyboard).map((m) => TICKET_NUMBER.exec(m.text ?? '')?.[0]));
  return numbers.every((n) => carded.has(n));
}
