/**
 * The bulk send both delivery benchmarks make, and how they read the result off the fake Bot
 * API: one notice to every household (a private chat each) plus a series of messages to each
 * group chat, every message with its own text so duplicates and losses can be counted.
 */
import type { BulkRecipient } from '../src/outbox/bulk-send.js';
import type { DeliveryBenchSettings } from './delivery-backends.js';

/** Telegram chat ids: people positive, groups negative. */
export function householdChat(i: number): string {
  return String(100_000 + i);
}
export function groupChat(g: number): string {
  return String(-1_000_000 - g);
}

/**
 * The recipients in writing order: the group series first (each group's messages go out in
 * order, at the group's own rate), then the households.
 */
export function bulkRecipients(settings: DeliveryBenchSettings): BulkRecipient[] {
  const recipients: BulkRecipient[] = [];
  let n = 0;
  for (let k = 0; k < settings.messagesPerGroup; k += 1) {
    for (let g = 0; g < settings.groups; g += 1) recipients.push({ channel: 'telegram', chatId: groupChat(g), message: { text: `b${n++}` } });
  }
  for (let i = 0; i < settings.households; i += 1) recipients.push({ channel: 'telegram', chatId: householdChat(i), message: { text: `b${n++}` } });
  return recipients;
}

/** The texts of a bulk send's messages, to find them in what the fake received. */
export function isBulkText(text: string | undefined): text is string {
  return typeof text === 'string' && /^b\d+$/.test(text);
}

/** How many times each bulk message arrived; `expected` is how many there were. */
export function countArrivals(texts: readonly (string | undefined)[], expected: number): { lost: number; twice: number; extra: number } {
  const arrivals = new Map<string, number>();
  for (const text of texts) if (isBulkText(text)) arrivals.set(text, (arrivals.get(text) ?? 0) + 1);
  let lost = 0;
  let twice = 0;
  let extra = 0;
  for (let n = 0; n < expected; n += 1) {
    const count = arrivals.get(`b${n}`) ?? 0;
    if (count === 0) lost += 1;
    if (count > 1) {
      twice += 1;
      extra += count - 1;
    }
  }
  return { lost, twice, extra };
}
