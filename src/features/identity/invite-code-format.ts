/**
 * What an invite code looks like and how a typed one is read. Codes are 8 characters from an
 * alphabet without look-alikes (no 0/O, 1/I/L), shown as `ABCD-EFGH`, read back however people
 * type them: any case, with or without the dash, with spaces, in full-width characters.
 * Only a SHA-256 hash of the normalised code is stored, so the database never holds a usable code.
 */
import { createHash, randomInt } from 'node:crypto';

/** 23 letters and 8 digits: nothing a person could mistake for another character. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 31^8 ≈ 8.5 × 10^11 codes; wrong guesses are rate-limited per chat account. */
export const CODE_LENGTH = 8;

/** Picks a character index; `crypto.randomInt` by default (uniform, from the OS's generator). */
export type RandomIndex = (size: number) => number;

/**
 * A new code in its normalised form (8 characters, no dash).
 *
 * @example generateCode() // 'K7MPX2QR'
 */
export function generateCode(random: RandomIndex = randomInt): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)]!;
  return code;
}

/** How a code is shown to people: `ABCD-EFGH`. */
export function formatCode(code: string): string {
  const normalised = normalizeCode(code);
  return `${normalised.slice(0, 4)}-${normalised.slice(4)}`;
}

/**
 * A typed code in the one form that is hashed: full-width folded (NFKC), upper case, with
 * spaces, dashes and dots left out.
 *
 * @example normalizeCode('ａｂｃｄ－ｅｆｇｈ') // 'ABCDEFGH'
 */
export function normalizeCode(typed: string): string {
  return typed
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―_.·]/gu, '');
}

/** Whether a normalised code could have been issued (right length, right characters). */
export function isWellFormedCode(normalised: string): boolean {
  if (normalised.length !== CODE_LENGTH) return false;
  for (const char of normalised) if (!CODE_ALPHABET.includes(char)) return false;
  return true;
}

/** The stored form: SHA-256 (hex) of the normalised code. */
export function hashCode(typed: string): string {
  return createHash('sha256').update(normalizeCode(typed)).digest('hex');
}
