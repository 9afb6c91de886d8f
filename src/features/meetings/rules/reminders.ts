/**
 * A meeting's reminders: at offsets (minutes before the start) set per meeting (default 24 h and
 * 2 h) and per person (their own, replacing the meeting's). One job per meeting, version and
 * offset sends every reminder due at that offset at once; a person whose own offsets differ is
 * reminded by the job of their offset. Nobody who declined is reminded, and nothing is sent once
 * the meeting began. A sent reminder is recorded as `<version>:<offset>`. Pure.
 */

export const DEFAULT_REMINDER_OFFSETS: readonly number[] = [1440, 120];

/** Offsets people may choose: from 5 minutes to 14 days, at most 4. */
export const MIN_OFFSET_MINUTES = 5;
export const MAX_OFFSET_MINUTES = 14 * 1440;
export const MAX_OFFSETS = 4;

/** The offsets that apply to one invitee: their own when set, else the meeting's. */
export function offsetsFor(meetingOffsets: readonly number[], personal: readonly number[]): number[] {
  return normaliseOffsets(personal.length > 0 ? personal : meetingOffsets);
}

/** Distinct, in range, largest (earliest reminder) first. */
export function normaliseOffsets(offsets: readonly number[]): number[] {
  const kept = offsets.filter((offset) => Number.isInteger(offset) && offset >= MIN_OFFSET_MINUTES && offset <= MAX_OFFSET_MINUTES);
  return [...new Set(kept)].sort((a, b) => b - a).slice(0, MAX_OFFSETS);
}

/** Every offset some invitee needs a job for. */
export function jobOffsets(meetingOffsets: readonly number[], personalOffsets: readonly (readonly number[])[]): number[] {
  const all = new Set<number>(offsetsFor(meetingOffsets, []));
  for (const personal of personalOffsets) for (const offset of offsetsFor(meetingOffsets, personal)) all.add(offset);
  return [...all].sort((a, b) => b - a);
}

/** The moment the reminder at `offset` minutes is due. */
export function reminderMoment(startsAt: Date, offset: number): Date {
  return new Date(startsAt.getTime() - offset * 60_000);
}

/** What a job at `offset` finds at `now`: too early (try later), due, or too late (the meeting began). */
export function reminderStanding(startsAt: Date, offset: number, now: Date): 'early' | 'due' | 'late' {
  if (now.getTime() >= startsAt.getTime()) return 'late';
  return now.getTime() < reminderMoment(startsAt, offset).getTime() ? 'early' : 'due';
}

/** The record of one sent reminder. */
export function sentKey(version: number, offset: number): string {
  return `${version}:${offset}`;
}

export interface ReminderCandidate {
  rsvp: string;
  reminderOffsets: readonly number[];
  remindersSent: readonly string[];
}

/** Whether this invitee gets the reminder of `offset` for meeting `version`. */
export function remindsInvitee(candidate: ReminderCandidate, meetingOffsets: readonly number[], version: number, offset: number): boolean {
  if (candidate.rsvp === 'cannot') return false;
  if (candidate.remindersSent.includes(sentKey(version, offset))) return false;
  return offsetsFor(meetingOffsets, candidate.reminderOffsets).includes(offset);
}

/**
 * Offsets typed by a person ("24h 2h", "90m", "1d", "3 小时", "30分钟"), or null when any part is
 * not one. An empty text means "the meeting's own".
 */
export function parseOffsets(text: string): number[] | null {
  const parts = text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s,，、;；]+/)
    .filter(Boolean);
  const offsets: number[] = [];
  for (const part of parts) {
    const match = /^(\d{1,4})(d|day|days|天|h|hr|hours?|小时|个小时|m|min|mins|minutes?|分钟|分)?$/.exec(part);
    if (!match) return null;
    const value = Number(match[1]);
    const unit = match[2] ?? 'h';
    const minutes = /^(d|day|days|天)$/.test(unit) ? value * 1440 : /^(h|hr|hours?|小时|个小时)$/.test(unit) ? value * 60 : value;
    if (minutes < MIN_OFFSET_MINUTES || minutes > MAX_OFFSET_MINUTES) return null;
    offsets.push(minutes);
  }
  if (offsets.length > MAX_OFFSETS) return null;
  return normaliseOffsets(offsets);
}
