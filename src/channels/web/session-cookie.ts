/**
 * The web chat's identity cookie. Each browser gets a random 256-bit token; there is no login
 * yet, so holding the token is what makes a conversation yours. The cookie is signed
 * (@fastify/cookie, HMAC-SHA256 with a key derived from LINLI_SECRET): only tokens this server
 * issued are accepted, so a script cannot make up tokens to open sessions without asking for
 * them (where they are counted per address), and a forged or altered cookie gets a fresh
 * session. The token itself never leaves this module and the routes: everything else (rows,
 * router, outbox, logs) sees the session id, a one-way hash of it, so a leaked chat id or log
 * line cannot be replayed as a cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sign, type CookieSerializeOptions, type UnsignResult } from '@fastify/cookie';

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

/**
 * The token in a cookie's value, given the plugin's `unsignCookie`; undefined when absent,
 * unsigned, signed with another key, altered, or not a token we could have issued.
 */
export function tokenFromCookie(value: string | undefined, unsign: (value: string) => UnsignResult): string | undefined {
  if (!value) return undefined;
  const unsigned = unsign(value);
  return unsigned.valid && unsigned.value !== null && TOKEN_PATTERN.test(unsigned.value) ? unsigned.value : undefined;
}

/** How the cookie is set (with `signed: true`); `secure` when the page was reached over HTTPS. */
export function sessionCookieOptions(secure: boolean): CookieSerializeOptions {
  return { signed: true, path: '/chat', maxAge: MAX_AGE_SECONDS, httpOnly: true, sameSite: 'lax', secure };
}

/** The Cookie header a browser holding `token` sends back (for tools and tests). */
export function sessionCookieHeader(token: string, cookieSecret: string): string {
  // Encoded as the plugin's Set-Cookie encodes it (the signature is base64 with + and /).
  return `${SESSION_COOKIE_NAME}=${encodeURIComponent(sign(token, cookieSecret))}`;
}
