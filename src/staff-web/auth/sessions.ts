/**
 * Signed-in staff browsers. The cookie carries a random 256-bit token; the database keeps its
 * SHA-256 only, so a leaked table opens no session. A session ends when the staff member signs
 * out, after `idleMs` without use, when they end all their sessions ("sign out everywhere"), or
 * when they no longer hold a staff role (checked on every request by the shell).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../../db/prisma-types.js';

/** `lastSeenAt` is written at most this often, so reading pages costs no write each time. */
const TOUCH_EVERY_MS = 60_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface StartedSession {
  /** The cookie's value. */
  token: string;
  id: string;
}

export async function startStaffSession(
  tx: Tx,
  input: { communityId: string; residentId: string; via: 'code' | 'setup'; now: Date },
): Promise<StartedSession> {
  const token = randomBytes(32).toString('base64url');
  const row = await tx.staffSession.create({
    data: { communityId: input.communityId, residentId: input.residentId, tokenHash: hashToken(token), via: input.via, createdAt: input.now, lastSeenAt: input.now },
    select: { id: true },
  });
  return { token, id: row.id };
}

export interface LiveSession {
  id: string;
  residentId: string;
}

/** The live session a cookie's token names (renewing its idle time unless `renew` is false), or null. */
export async function liveStaffSession(tx: Tx, input: { communityId: string; token: string; idleMs: number; now: Date; renew?: boolean }): Promise<LiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.token)) return null;
  const row = await tx.staffSession.findUnique({
    where: { tokenHash: hashToken(input.token) },
    select: { id: true, residentId: true, communityId: true, lastSeenAt: true, endedAt: true },
  });
  if (!row || row.communityId !== input.communityId || row.endedAt) return null;
  const idleFor = input.now.getTime() - row.lastSeenAt.getTime();
  if (idleFor > input.idleMs) {
    await tx.staffSession.update({ where: { id: row.id }, data: { endedAt: input.now } });
    return null;
  }
  if (input.renew !== false && idleFor > TOUCH_EVERY_MS) await tx.staffSession.update({ where: { id: row.id }, data: { lastSeenAt: input.now } });
  return { id: row.id, residentId: row.residentId };
}

export async function endStaffSession(tx: Tx, sessionId: string, now: Date): Promise<void> {
  await tx.staffSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: now } });
}

/** Ends every session of the person (all their browsers and phones); returns how many. */
export async function endAllStaffSessions(tx: Tx, residentId: string, now: Date): Promise<number> {
  const ended = await tx.staffSession.updateMany({ where: { residentId, endedAt: null }, data: { endedAt: now } });
  return ended.count;
}
