/**
 * How long a notice stays in the archive residents read: a plain notice for the community's
 * `archiveDays` after it was sent (gone at that very instant), or until its own `expiresAt` if
 * its author set an earlier one; a disclosure (decisions, accounts) and an alert never leave it —
 * what the committee decided and spent must stay findable (docs/domain.md rule 6).
 */

const DAY_MS = 86_400_000;

/** The kinds that never leave the archive. */
export const NEVER_EXPIRING_KINDS = ['disclosure', 'alert'] as const;

export function neverExpires(kind: string): boolean {
  return (NEVER_EXPIRING_KINDS as readonly string[]).includes(kind);
}

export interface ArchivedNoticeTimes {
  kind: string;
  sentAt: Date;
  expiresAt: Date | null;
}

/** When a notice sent at `sentAt` leaves the archive (`null`: never) — what a sender stores as `expiresAt`. */
export function archiveExpiry(kind: string, sentAt: Date, archiveDays: number | null): Date | null {
  if (neverExpires(kind) || archiveDays === null) return null;
  return new Date(sentAt.getTime() + archiveDays * DAY_MS);
}

/**
 * The earliest a plain notice may have been sent and still be in the archive at `now` (exclusive:
 * sent exactly `archiveDays` ago is gone); null when plain notices stay forever.
 */
export function archiveSentAfter(now: Date, archiveDays: number | null): Date | null {
  return archiveDays === null ? null : new Date(now.getTime() - archiveDays * DAY_MS);
}

/** Whether the notice is in the archive at `now`: the rule the archive's query states in SQL. */
export function isInArchive(notice: ArchivedNoticeTimes, now: Date, archiveDays: number | null): boolean {
  if (neverExpires(notice.kind)) return true;
  if (notice.expiresAt && notice.expiresAt.getTime() <= now.getTime()) return false;
  const after = archiveSentAfter(now, archiveDays);
  return after === null || notice.sentAt.getTime() > after.getTime();
}
