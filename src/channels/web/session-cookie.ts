/**
 * The web chat's identity cookie. Each browser gets a random 256-bit token; there is no login
 * yet, so holding the token is what makes a conversation yours. The token itself never leaves
 * this module: everything else (rows, router, outbox, logs) sees the session id, a one-way
 * hash of it, so a leaked chat id or log line cannot be replayed as a cookie.
 */
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE_NAME = 'linli_chat';

/** Chrome caps cookie lifetimes at 400 days; ask for that. */
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

/** 32 random bytes in base64url: exactly 43 characters from this alphabet. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh random token (256 bits). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The session id stored with rows and used as the chat id: 128 bits of SHA-256 of the token. */
export function sessionIdFromToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

/** Reads our token from a Cookie header; undefined when absent or not one we could have issued. */
export function readSessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE_NAME) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN_PATTERN.test(value) ? value : undefined;
  }
  return undefined;
}

/** The Set-Cookie value for a token; `secure` when the page was reached over HTTPS. */
export function sessionCookieHeader(token: string, secure: boolean): string {
  const attributes = [
    `${SESSION_COOKIE_NAME}=${token}`,
    'Path=/chat',
    `Max-Age=${MAX_AGE_SECONDS}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}
