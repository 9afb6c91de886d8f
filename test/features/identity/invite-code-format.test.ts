/**
 * Invite codes look unambiguous and are read back however people type them; only their hash is
 * stored.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  formatCode,
  generateCode,
  hashCode,
  isWellFormedCode,
  normalizeCode,
} from '../../../src/features/identity/invite-code-format.js';

describe('the alphabet', () => {
  it('has 31 characters and none people confuse (0/O, 1/I/L)', () => {
    expect(CODE_ALPHABET).toHaveLength(31);
    expect(new Set(CODE_ALPHABET).size).toBe(31);
    for (const confusing of '0O1IL') expect(CODE_ALPHABET).not.toContain(confusing);
  });
});

describe('generateCode', () => {
  it('makes 8 characters from the alphabet, shown as ABCD-EFGH', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateCode();
      expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
      expect(formatCode(code)).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    }
  });

  it('uses every character, from the random source it is given', () => {
    let next = 0;
    const code = generateCode(() => next++ % 31);
    expect(code).toBe(CODE_ALPHABET.slice(0, 8));
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const char of generateCode()) seen.add(char);
    expect(seen.size).toBe(31);
  });
});

describe('normalizeCode and hashCode', () => {
  it.each(['ABCD-EFGH', 'abcd-efgh', 'abcdefgh', 'ABCD EFGH', ' abcd - efgh ', 'ＡＢＣＤ－ＥＦＧＨ', 'ａｂｃｄ　ｅｆｇｈ', 'ABCD–EFGH', 'ABCD.EFGH'])(
    '%j reads as ABCDEFGH and hashes the same',
    (typed) => {
      expect(normalizeCode(typed)).toBe('ABCDEFGH');
      expect(hashCode(typed)).toBe(hashCode('ABCD-EFGH'));
    },
  );

  it('hashes with SHA-256 of the normalised code', () => {
    expect(hashCode('abcd-efgh')).toBe(createHash('sha256').update('ABCDEFGH').digest('hex'));
    expect(hashCode('ABCD-EFGJ')).not.toBe(hashCode('ABCD-EFGH'));
  });

  it.each([
    ['ABCDEFGH', true],
    ['ABCDEFG', false],
    ['ABCDEFGHJ', false],
    ['ABCDEFG0', false],
    ['ABCDEFGO', false],
    ['ABCDEFG1', false],
    ['绑定绑定绑定绑定', false],
  ] as const)('%s well formed: %s', (code, ok) => {
    expect(isWellFormedCode(code)).toBe(ok);
  });
});
