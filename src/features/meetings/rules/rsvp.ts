/**
 * A person's answer to an invitation, and the command its buttons run (`/rsvp HY-2026-00001 attend`).
 * Pure.
 */

export const RSVP_ANSWERS = ['attend', 'cannot', 'maybe'] as const;
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];

/** `HY-YYYY-NNNNN`. */
const MEETING_NUMBER = /^HY-\d{4}-\d{5}$/;

/** The meeting number and answer in an `/rsvp` argument; the answer may be missing (then asked). */
export function parseRsvpArgument(text: string): { number: string; answer: RsvpAnswer | null } | null {
  const [rawNumber, rawAnswer, ...rest] = text.normalize('NFKC').trim().split(/\s+/);
  if (!rawNumber || rest.length > 0) return null;
  const number = rawNumber.toUpperCase();
  if (!MEETING_NUMBER.test(number)) return null;
  if (rawAnswer === undefined) return { number, answer: null };
  const answer = RSVP_ANSWERS.find((known) => known === rawAnswer.toLowerCase());
  return answer ? { number, answer } : null;
}

/** The command a button under an invitation runs. */
export function rsvpCommand(number: string, answer: RsvpAnswer): string {
  return `/rsvp ${number} ${answer}`;
}

/** The locale key that names an answer (pending included). */
export const RSVP_LABELS: Record<RsvpAnswer | 'pending', string> = {
  attend: 'meetings.core.rsvp.attend',
  cannot: 'meetings.core.rsvp.cannot',
  maybe: 'meetings.core.rsvp.maybe',
  pending: 'meetings.core.rsvp.pending',
};

/** The year's next meeting number after `last` (`HY-2026-00041` → `HY-2026-00042`). */
export function nextMeetingNumber(year: number, last: string | null): string {
  const previous = last && last.startsWith(`HY-${year}-`) ? Number(last.slice(8)) : 0;
  return `HY-${year}-${String(previous + 1).padStart(5, '0')}`;
}
