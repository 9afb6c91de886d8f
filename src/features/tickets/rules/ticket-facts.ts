/**
 * What the digest and the three rates read about each ticket: a flat record the service builds
 * from the ticket and its history. Times are instants; periods are [from, to).
 */
import type { TicketKind } from './kinds.js';
import type { TicketStatus } from './statuses.js';

export interface TicketFact {
  id: string;
  kind: TicketKind;
  category: string;
  /** Area path from the zone down, "/"-separated ("平房区/团结巷/3号院"); "" when none. */
  areaPath: string;
  status: TicketStatus;
  createdAt: Date;
  /** Current round (since filing or the last reopen). */
  firstResponseDue: Date;
  firstRespondedAt: Date | null;
  resolutionDue: Date | null;
  /** When it stopped being open (resolved, withdrawn, merged); null while open. */
  finishedAt: Date | null;
  /** The latest resolution, while resolved or closed. */
  resolvedAt: Date | null;
  /** The newest rating. */
  rating: { stars: number; ratedAt: Date } | null;
  /** The resident's answer to "was it solved?" (12345's 解决率 question), if asked and answered. */
  solved: { value: boolean; answeredAt: Date } | null;
}

/** A half-open time span [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

/** True when `instant` lies in [from, to). */
export function inPeriod(instant: Date | null, period: Period): boolean {
  return instant !== null && instant.getTime() >= period.from.getTime() && instant.getTime() < period.to.getTime();
}

/** Open at `instant`: filed before it and not finished by it. */
export function openAt(fact: TicketFact, instant: Date): boolean {
  return fact.createdAt.getTime() < instant.getTime() && (fact.finishedAt === null || fact.finishedAt.getTime() >= instant.getTime());
}
