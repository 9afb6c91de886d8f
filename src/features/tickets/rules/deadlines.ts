/**
 * When a ticket's answers are due (docs/domain.md rule 10 deadlines, rule 7 priority service; rule 1 for the committee's step).
 *
 * - Both clocks start when the ticket is filed; a reopened ticket starts both again from the
 *   reopening (call `dueTimes` with the reopen time as `createdAt`).
 * - Priority households (a PROMPT_SERVICE_FLAGS flag: elderly, disabled, ill) get the category's
 *   priority deadlines. Other flags (low income, veterans' families) do not shorten deadlines:
 *   they are about cost, not speed.
 * - The clock follows business hours only when the community has them AND the category says so;
 *   priority households use the same clock (their deadlines are shorter, not round-the-clock).
 *   On a business-hours clock `m`/`h` count open minutes and `d` counts business days of open
 *   time; on a continuous clock `m`/`h` are elapsed time and `d` calendar days at the same wall
 *   time.
 * - The committee is told of a missed first response when twice the first-response time has
 *   passed on the same clock (a 2 h deadline: steward at 2 h, committee at 4 h).
 */
import { PROMPT_SERVICE_FLAGS } from '../../community/vocabulary.js';
import { addOpenMinutes, openMinutesPerDay, type BusinessHours } from './business-hours.js';
import type { TicketCategory } from './categories.js';
import { scaleDuration, type Duration } from './duration.js';
import { kindHasResolutionDeadline, type TicketKind } from './kinds.js';
import { addLocalDays } from './local-time.js';

/** The committee hears of a missed first response after this many first-response times. */
export const COMMITTEE_ESCALATION_FACTOR = 2;

export interface DueTimesInput {
  category: TicketCategory;
  /** Defaults to `complaint`. Praise has no resolution deadline. */
  kind?: TicketKind;
  /** When the clocks start: filing, or reopening. */
  createdAt: Date;
  /** The household's flags (strings from the roster; unknown ones are ignored). */
  householdFlags: readonly string[];
  /** The community's business hours; null or absent: the clock never pauses. */
  businessHours?: BusinessHours | null;
  timezone: string;
}

export interface DueTimes {
  tier: 'priority' | 'ordinary';
  clock: 'business_hours' | 'continuous';
  firstResponseDue: Date;
  /** When the committee is told that the first response is still missing. */
  committeeEscalationDue: Date;
  /** null for praise. */
  resolutionDue: Date | null;
  /**
   * The ordinary-tier resolution deadline, for public output: publishing the shorter one would tell
   * the world that a household has an elderly, disabled or ill member.
   */
  publicResolutionDue: Date | null;
}

/** True when one of the household's flags asks for prompt service. */
export function isPriorityHousehold(flags: readonly string[]): boolean {
  return flags.some((f) => (PROMPT_SERVICE_FLAGS as readonly string[]).includes(f));
}

/** The deadlines for a new (or reopened) ticket. */
export function dueTimes(input: DueTimesInput): DueTimes {
  const { category, createdAt, timezone } = input;
  const hours = input.businessHours && category.businessHours ? input.businessHours : null;
  const priority = isPriorityHousehold(input.householdFlags);
  const deadlines = priority ? category.priority : { firstResponse: category.firstResponse, resolution: category.resolution };
  const add = (duration: Duration) => addDuration(createdAt, duration, hours, timezone);
  const resolves = kindHasResolutionDeadline(input.kind ?? 'complaint');
  return {
    tier: priority ? 'priority' : 'ordinary',
    clock: hours ? 'business_hours' : 'continuous',
    firstResponseDue: add(deadlines.firstResponse),
    committeeEscalationDue: add(scaleDuration(deadlines.firstResponse, COMMITTEE_ESCALATION_FACTOR)),
    resolutionDue: resolves ? add(deadlines.resolution) : null,
    publicResolutionDue: resolves ? add(category.resolution) : null,
  };
}

/**
 * The deadlines with the resolution due no earlier than `notBefore` (a booked visit's end: a
 * visit two weeks ahead is not late once the category's seven days are up). A deadline already
 * later, or none (praise), stays as it is.
 */
export function resolutionNotBefore(due: DueTimes, notBefore: Date): DueTimes {
  const later = (at: Date | null) => (at && at.getTime() < notBefore.getTime() ? notBefore : at);
  return { ...due, resolutionDue: later(due.resolutionDue), publicResolutionDue: later(due.publicResolutionDue) };
}

/**
 * `start` plus `duration` on a business-hours clock (`hours` given) or a continuous one (null).
 * Exported for the services that show "answer expected by …" for other durations.
 */
export function addDuration(start: Date, duration: Duration, hours: BusinessHours | null, timezone: string): Date {
  if (hours) {
    const minutes = duration.unit === 'd' ? duration.amount * openMinutesPerDay(hours) : duration.amount * (duration.unit === 'h' ? 60 : 1);
    return addOpenMinutes(start, minutes, hours, timezone);
  }
  if (duration.unit === 'd') return addLocalDays(start, duration.amount, timezone);
  return new Date(start.getTime() + duration.amount * (duration.unit === 'h' ? 3_600_000 : 60_000));
}
