/**
 * A notice whose messages are on their way or delivered (`Notice.status` sending or sent): it may
 * be answered, and an alert's roll-call runs. A draft, a scheduled or held notice and a cancelled
 * one ask nothing of anyone.
 */
export const GONE_OUT_STATUSES = ['sending', 'sent'] as const;

export function hasGoneOut(status: string): boolean {
  return (GONE_OUT_STATUSES as readonly string[]).includes(status);
}
