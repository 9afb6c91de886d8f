/** The signing secret kept in DATA_DIR on the embedded default: made once, and never a weak one. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecret, WeakSecretError } from '../../src/security/secret.js';

describe('the secret file', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-secret-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is made once, readable by the owner only, and read back the same', () => {
    const dir = dataDir();
    const secret = resolveSecret(undefined, dir);
    expect(Buffer.byteLength(secret)).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(resolveSecret(undefined, dir)).toBe(secret);
  });

  it.each([
    ['empty', ''],
    ['only a line break', '\n'],
    ['short', 'abc123\n'],
    ['31 bytes', `${'x'.repeat(31)}\n`],
  ])('refuses a file that is %s, naming the file, and leaves it as it was', (_name, content) => {
    const dir = dataDir();
    const file = join(dir, 'secret.key');
    writeFileSync(file, content, { mode: 0o600 });
    expect(() => resolveSecret(undefined, dir)).toThrow(WeakSecretError);
    expect(() => resolveSecret(undefined, dir)).toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('takes a file of 32 bytes', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secret.key'), `${'k'.repeat(32)}\n`, { mode: 0o600 });
    expect(resolveSecret(undefined, dir)).toBe('k'.repeat(32));
  });

  it('prefers LINLI_SECRET and then never reads the file', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secret.key'), '', { mode: 0o600 });
    expect(resolveSecret('a-configured-secret-of-enough-length-000', dir)).toBe('a-configured-secret-of-enough-length-000');
  });
});
