/**
 * When the community-wide limit on wrong codes closes binding (`communityBindGate` in
 * bind-throttle.ts), the staff are told once per closing — not once per refused attempt — through
 * the `binding.closed` event (identity-events.ts; the staff inbox posts it to the staff chats); the
 * identity feature knows no chat.
 *
 * A closing is an audit row (`binding.closed`, the system acting on its rule, the community as
 * subject, details: the wrong codes counted and the time it lasts `until`). An attempt that finds
 * binding closed starts a new closing only when no such row's `until` is still ahead: within the
 * window nothing more is written; a closing after it (a new window) is announced again. The
 * check and the row are made under a per-community advisory lock held to the end of the
 * transaction, so two attempts at the same moment — in one process or several — cannot both
 * announce it; an attempt that sees a running closing reads one row and takes no lock. Everything
 * is in the attempt's transaction: rolled back, neither the row nor the post exists.
 *
 * The running closing *is* the pause: binding stays closed until its `until`, unless staff lift
 * it earlier (`binding-resume.ts`), which writes a `binding.resumed` row naming the closing's
 * audit row; a closing so named is over.
 */
import { runAfterCommit } from '../../db/after-commit.js';
import type { Tx } from '../../db/prisma-types.js';
import type { EventPublisher } from '../../events/index.js';
import type { Logger } from '../../log/logger.js';
import { recordAudit } from '../audit/record-audit.js';
import './identity-events.js';

/** One closing of binding by the community-wide limit. Ids, counts and times only. */
export interface BindingClosed {
  communityId: string;
  /** The audit row that records the closing. */
  auditId: string;
  /** When the attempt that found it closed was made. */
  closedAt: Date;
  /** Binding opens again at the latest then. */
  until: Date;
  /** Wrong codes counted in the window when it closed (each origin's share capped). */
  wrongCodes: number;
  /** How many origins (accounts, web chat network addresses) they came from. */
  origins: number;
  /** The window's length, in minutes. */
  windowMinutes: number;
}

/** Who hears of a closing: the staff side (`binding.closed`, inside the transaction that found it), and the log. */
export interface BindingClosedHooks {
  events?: EventPublisher | undefined;
  log?: Logger | undefined;
}

export const BINDING_CLOSED_ACTION = 'binding.closed';
/** Staff lifted a closing before its end (details: `closedAuditId`). */
export const BINDING_RESUMED_ACTION = 'binding.resumed';

/** A closing not over at some moment: its audit row and its end. */
export interface RunningPause {
  auditId: string;
  until: Date;
}

/**
 * Binding was found closed by the community-wide limit at `now` (until `until`, with `wrongCodes`
 * counted): starts a closing — audit row, event, log — unless one is running. Returns the
 * closing started, or null when one was running already.
 */
export async function noteBindingClosed(
  tx: Tx,
  found: { communityId: string; now: Date; until: Date; wrongCodes: number; origins: number; windowMs: number },
  hooks: BindingClosedHooks = {},
): Promise<BindingClosed | null> {
  const { communityId, now } = found;
  if (await runningPause(tx, communityId, now)) return null;
  await lockBindingPause(tx, communityId);
  // Again under the lock: an attempt that held it before us has committed its row by now.
  if (await runningPause(tx, communityId, now)) return null;
  const audit = await recordAudit(tx, {
    communityId,
    actor: { kind: 'system' },
    action: BINDING_CLOSED_ACTION,
    subjectType: 'community',
    subjectId: communityId,
    details: { wrongCodes: found.wrongCodes, origins: found.origins, until: found.until.toISOString() },
  });
  const closed: BindingClosed = {
    communityId,
    auditId: audit.id,
    closedAt: now,
    until: found.until,
    wrongCodes: found.wrongCodes,
    origins: found.origins,
    windowMinutes: Math.round(found.windowMs / 60_000),
  };
  await hooks.events?.publish(tx, 'binding.closed', closed);
  const log = hooks.log;
  if (log) {
    const write = () =>
      log.warn(
        { communityId, auditId: audit.id, wrongCodes: found.wrongCodes, origins: found.origins, closedMinutes: Math.ceil((found.until.getTime() - now.getTime()) / 60_000) },
        'binding closed community-wide: too many wrong codes',
      );
    // Logged once it has happened; a transaction opened without after-commit work logs at once.
    if (!runAfterCommit(tx, async () => write())) write();
  }
  return closed;
}

/** Serialises starting and lifting a community's pause (held to the end of the transaction). */
export async function lockBindingPause(tx: Tx, communityId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`binding-closed:${communityId}`}))`;
}

/** The community's closing announced, not lifted by staff and not yet over at `now`; null when binding is open. */
export async function runningPause(tx: Tx, communityId: string, now: Date): Promise<RunningPause | null> {
  const rows = await tx.$queryRaw<{ id: string; until: string }[]>`
    SELECT c."id", c."details"->>'until' AS "until" FROM "AuditLog" c
    WHERE c."subjectType" = 'community' AND c."subjectId" = ${communityId} AND c."communityId" = ${communityId}
      AND c."action" = ${BINDING_CLOSED_ACTION}
      AND (c."details"->>'until')::timestamptz > ${now.toISOString()}::timestamptz
      AND NOT EXISTS (
        SELECT 1 FROM "AuditLog" r
        WHERE r."subjectType" = 'community' AND r."subjectId" = ${communityId} AND r."communityId" = ${communityId}
          AND r."action" = ${BINDING_RESUMED_ACTION} AND r."details"->>'closedAuditId' = c."id")
    ORDER BY (c."details"->>'until')::timestamptz DESC
    LIMIT 1`;
  const row = rows[0];
  return row ? { auditId: row.id, until: new Date(row.until) } : null;
}
