/**
 * The console's meeting forms as typed — calling one, moving one, cancelling one — checked at the
 * edge (no NUL, no lone surrogate, bounded lengths, a datetime-local read in the community's
 * zone, a time within reach, reminder offsets as the chat takes them) and turned into what the
 * meetings service takes. What the service checks itself (title, a start in the past, the
 * length, the caller's right to the audience) is left to it, so its words answer.
 */
import { z } from 'zod';
import { MEETING_TYPES, type MeetingType } from '../../features/meetings/rules/meeting-types.js';
import { parseOffsets } from '../../features/meetings/rules/reminders.js';
import { localMinute } from '../../features/tickets/scheduling/local-format.js';
import { typedLocalTime } from '../notices/notice-form.js';
import { formText } from '../people/typed-input.js';

/** Longer than the service's 200, so a too-long title reaches its check and its words. */
const TITLE_TYPED = 1_000;
const PLACE_TYPED = 200;
const AGENDA_TYPED = 4_000;
const AGENDA_ITEMS = 30;
const REASON_TYPED = 500;
/** How far ahead a meeting may be called or moved: two years. */
const MAX_AHEAD_MS = 2 * 366 * 86_400_000;

export const callBody = z.object({
  _csrf: z.string(),
  type: z.enum(MEETING_TYPES),
  title: formText(TITLE_TYPED),
  starts_at: formText(20),
  minutes: formText(5).default('120'),
  place: formText(PLACE_TYPED).default(''),
  agenda: formText(AGENDA_TYPED).default(''),
  reminders: formText(100).default(''),
});

export const moveBody = z.object({
  _csrf: z.string(),
  starts_at: formText(20),
  place: formText(PLACE_TYPED).optional(),
});

export const cancelBody = z.object({ _csrf: z.string(), reason: formText(REASON_TYPED).default('') });
export const closeBody = z.object({ _csrf: z.string() });

export type CallForm = z.infer<typeof callBody>;

export interface TypedCall {
  type: MeetingType;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  place: string | null;
  agenda: string[];
  reminderOffsets?: number[];
}

/** The locale key of what is wrong with a typed time, or the instant. */
export function typedStart(text: string, timezone: string, now: Date): { startsAt: Date } | { problem: string } {
  const typed = text.trim();
  const startsAt = typedLocalTime(typed, timezone);
  // Read back as the zone's clock shows it: 30 February, or a minute a daylight-saving change skips, is no such time.
  if (!startsAt || localMinute(startsAt, timezone).replace(' ', 'T') !== typed) return { problem: 'meetings.console.form.problem.time' };
  if (startsAt.getTime() > now.getTime() + MAX_AHEAD_MS) return { problem: 'meetings.console.form.problem.too_far' };
  return { startsAt };
}

/** The call form as the service takes it, or the locale key of what is wrong with it. */
export function callOf(form: CallForm, timezone: string, now: Date): { call: TypedCall } | { problem: string } {
  const start = typedStart(form.starts_at, timezone, now);
  if ('problem' in start) return start;
  const minutesText = form.minutes.trim();
  if (!/^\d{1,4}$/.test(minutesText)) return { problem: 'meetings.core.cli.invalid_duration' };
  const agenda = form.agenda
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (agenda.length > AGENDA_ITEMS || agenda.some((item) => item.length > 200)) return { problem: 'meetings.console.form.problem.agenda' };
  const reminders = form.reminders.trim();
  const offsets = reminders ? parseOffsets(reminders) : undefined;
  if (offsets === null || offsets?.length === 0) return { problem: 'meetings.core.cli.invalid_offsets' };
  return {
    call: {
      type: form.type,
      title: form.title,
      startsAt: start.startsAt,
      durationMinutes: Number(minutesText),
      place: form.place.trim() || null,
      agenda,
      ...(offsets ? { reminderOffsets: offsets } : {}),
    },
  };
}
