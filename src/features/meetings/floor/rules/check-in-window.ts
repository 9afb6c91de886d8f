/**
 * When a person may check in to a meeting: from 30 minutes before it starts until it ends (the
 * end itself is too late). A six-digit code typed to the bot is the room's code only while this
 * window is open, and a few wrong codes in a row are throttled so the code cannot be guessed.
 */

/** Check-in opens this long before the start. */
export const CHECK_IN_EARLY_MINUTES = 30;
/** Wrong codes one chat account may type within `WRONG_CODE_WINDOW_MINUTES` before being told to wait. */
export const WRONG_CODE_LIMIT = 5;
export const WRONG_CODE_WINDOW_MINUTES = 10;

export type WindowState = 'early' | 'open' | 'over';

export function checkInWindow(meeting: { startsAt: Date; endsAt: Date }, now: Date): WindowState {
  const opens = meeting.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * 60_000;
  if (now.getTime() < opens) return 'early';
  if (now.getTime() >= meeting.endsAt.getTime()) return 'over';
  return 'open';
}

/** Text that is a check-in code: six digits, spaces around allowed. */
export function asCheckInCode(text: string): string | null {
  const trimmed = text.trim();
  return /^\d{6}$/.test(trimmed) ? trimmed : null;
}

/** Whether an account that typed `wrongRecently` wrong codes in the window must wait. */
export function codeThrottled(wrongRecently: number): boolean {
  return wrongRecently >= WRONG_CODE_LIMIT;
}
