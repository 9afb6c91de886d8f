/**
 * Quorum and majority (docs/domain.md rule 2): both are *strictly* more than half, compared in
 * integers (2·n > total) so that an odd roll needs no rounding: of 20, 10 present is not a quorum
 * and 11 is; of 21, 11 is.
 */

/** How many must be present for a quorum of `rollSize` (the smallest n with 2·n > rollSize). */
export function quorumNeeded(rollSize: number): number {
  return Math.floor(rollSize / 2) + 1;
}

/** Whether `present` of `rollSize` is a quorum. An empty roll never is: nobody can decide for nobody. */
export function hasQuorum(present: number, rollSize: number): boolean {
  return rollSize > 0 && 2 * present > rollSize;
}

export type MotionResult = 'passed' | 'failed';

/**
 * A motion passes with strictly more yes votes than half of those present when the vote closed:
 * abstentions and people present who did not vote count against it, exactly half fails.
 */
export function motionResult(yes: number, presentAtClose: number): MotionResult {
  return presentAtClose > 0 && 2 * yes > presentAtClose ? 'passed' : 'failed';
}
