/**
 * A role counts only during its term: from `startsOn` up to and including `endsOn`. A term that
 * has ended, or has not yet begun, counts for nothing (docs/domain.md rule 9: terms of three years).
 */

/** A term's ends, as stored on RoleAssignment (or carried by HeldRole). */
export interface Term {
  startsOn?: Date | null | undefined;
  endsOn?: Date | null | undefined;
}

/** True when `now` lies within the term (both ends included; a missing end is open). */
export function isTermCurrent(term: Term, now: Date): boolean {
  const at = now.getTime();
  if (term.startsOn && term.startsOn.getTime() > at) return false;
  if (term.endsOn && term.endsOn.getTime() < at) return false;
  return true;
}

/** The same test as a Prisma `where` for RoleAssignment, so loading and checking agree. */
export function currentTermWhere(now: Date) {
  return {
    startsOn: { lte: now },
    OR: [{ endsOn: null }, { endsOn: { gte: now } }],
  };
}
