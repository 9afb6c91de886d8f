/**
 * A person's private calendar feed address. Its token is keyed to the person and the moment the
 * address was last renewed (an HMAC under a key derived from LINLI_SECRET), so it can be shown
 * again whenever they ask without being kept anywhere: only its SHA-256 is stored, to find the
 * person when a calendar app asks. Renewing moves `renewedAt`, so the old address stops working
 * at once. A token of any other shape is "not found" before anything is looked up.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Tx } from '../../../db/prisma-types.js';

/** 32 bytes in base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isFeedTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

function tokenOf(key: string, residentId: string, renewedAt: Date): string {
  return createHmac('sha256', key).update(`feed/${residentId}/${renewedAt.toISOString()}`).digest('base64url');
}

/** The person's current token, making their feed the first time. */
export async function feedTokenOf(tx: Tx, key: string, residentId: string, now: Date): Promise<string> {
  const existing = await tx.calendarFeed.findUnique({ where: { residentId }, select: { renewedAt: true } });
  if (existing) return tokenOf(key, residentId, existing.renewedAt);
  const token = tokenOf(key, residentId, now);
  await tx.calendarFeed.create({ data: { residentId, tokenHash: hashFeedToken(token), createdAt: now, renewedAt: now } });
  return token;
}

/** A new address for the person: the old one stops working. */
export async function renewFeedToken(tx: Tx, key: string, residentId: string, now: Date): Promise<string> {
  const existing = await tx.calendarFeed.findUnique({ where: { residentId }, select: { renewedAt: true } });
  // Never the same moment as the address it replaces (that would be the same token).
  const at = existing && existing.renewedAt.getTime() >= now.getTime() ? new Date(existing.renewedAt.getTime() + 1) : now;
  const token = tokenOf(key, residentId, at);
  await tx.calendarFeed.upsert({
    where: { residentId },
    create: { residentId, tokenHash: hashFeedToken(token), createdAt: at, renewedAt: at },
    update: { tokenHash: hashFeedToken(token), renewedAt: at },
  });
  return token;
}

/** The feed's path for a token. */
export function feedPath(token: string): string {
  return `/calendar/${token}.ics`;
}

/** The path of one meeting's .ics, signed so that meeting ids cannot be walked. */
export function meetingIcsPath(key: string, meetingId: string): string {
  return `/calendar/meeting/${meetingId}/${meetingIcsSignature(key, meetingId)}.ics`;
}

export function meetingIcsSignature(key: string, meetingId: string): string {
  return createHmac('sha256', key).update(`meeting/${meetingId}`).digest('base64url').slice(0, 22);
}
