/**
 * bench:reminders' accounting: which reminders were owed (one per invited person's bound chat and
 * meeting, at the one offset of the run) against those written or delivered — missing, sent twice,
 * and any nobody owed — and how late each was against its due moment.
 */

/** One reminder: the chat it goes to and the meeting's number (the run has one offset). */
export interface ReminderKey {
  chatId: string;
  number: string;
}

export interface ReminderCount {
  owed: number;
  /** Owed and never written (or delivered). */
  missing: number;
  /** Copies beyond the first of the same reminder. */
  twice: number;
  /** Written (or delivered) though nobody owed it. */
  unowed: number;
}

const keyOf = (key: ReminderKey) => `${key.chatId}\u0000${key.number}`;

export function countReminders(owed: readonly ReminderKey[], got: readonly ReminderKey[]): ReminderCount {
  const owedKeys = new Set(owed.map(keyOf));
  const copies = new Map<string, number>();
  for (const key of got) copies.set(keyOf(key), (copies.get(keyOf(key)) ?? 0) + 1);
  let missing = 0;
  for (const key of owedKeys) if (!copies.has(key)) missing += 1;
  let twice = 0;
  let unowed = 0;
  for (const [key, n] of copies) {
    twice += n - 1;
    if (!owedKeys.has(key)) unowed += 1;
  }
  return { owed: owedKeys.size, missing, twice, unowed };
}

/** A meeting's number as its reminder's text shows it (`HY-2026-00001`), or undefined. */
export function meetingNumberIn(text: string): string | undefined {
  return /HY-\d{4}-\d{5}/.exec(text)?.[0];
}

/** Milliseconds from `dueAtMs` to each moment that is known. */
export function latenesses(dueAtMs: number, moments: readonly (number | null | undefined)[]): number[] {
  return moments.flatMap((at) => (typeof at === 'number' && Number.isFinite(at) ? [at - dueAtMs] : []));
}
