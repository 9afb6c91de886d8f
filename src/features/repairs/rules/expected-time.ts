/**
 * By when the resident may expect someone: the community's time for the job's tier (emergency,
 * priority household, ordinary) from filing, met within the resident's home window where they
 * gave one. Emergencies ignore home windows (someone comes at once). A window that overlaps the
 * time until the deadline means "by its end, or the deadline if sooner"; a window that starts only
 * after the deadline means "by the end of that window" — nobody can be let in before.
 */
import { addDuration } from '../../tickets/rules/deadlines.js';
import type { Duration } from '../../tickets/rules/duration.js';
import type { HomeWindow } from './home-windows.js';

export type RepairTier = 'emergency' | 'priority' | 'ordinary';

export function repairTier(emergency: boolean, priority: boolean): RepairTier {
  return emergency ? 'emergency' : priority ? 'priority' : 'ordinary';
}

export interface ExpectedInput {
  filedAt: Date;
  tier: RepairTier;
  within: Readonly<Record<RepairTier, Duration>>;
  timezone: string;
  /** Empty: someone is always home. */
  homeWindows: readonly HomeWindow[];
}

export function expectedBy(input: ExpectedInput): Date {
  const deadline = addDuration(input.filedAt, input.within[input.tier], null, input.timezone);
  if (input.tier === 'emergency') return deadline;
  const upcoming = input.homeWindows.filter((w) => w.to.getTime() > input.filedAt.getTime()).sort((a, b) => a.from.getTime() - b.from.getTime());
  const first = upcoming[0];
  if (!first) return deadline;
  const overlapping = upcoming.find((w) => w.from.getTime() <= deadline.getTime());
  if (overlapping) return new Date(Math.min(overlapping.to.getTime(), deadline.getTime()));
  return first.to;
}
