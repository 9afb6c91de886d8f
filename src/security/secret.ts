/**
 * The signing secret. Production sets LINLI_SECRET (config refuses DATABASE_URL without it).
 * The embedded default needs no setup, so it keeps a generated secret beside its database in
 * DATA_DIR, readable by the owner only: the data and the key that signs it live and die together.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The least a secret may hold. Everything signed with it (button data, the WeChat admin token)
 * is only as hard to forge as the secret is to guess: an empty or short file would make them
 * predictable, so it is refused rather than used.
 */
export const MIN_SECRET_BYTES = 32;

export class WeakSecretError extends Error {
  constructor(readonly file: string, readonly bytes: number) {
    super(
      `the secret file ${file} holds ${bytes} bytes, at least ${MIN_SECRET_BYTES} are needed ` +
        '(set LINLI_SECRET, or remove the file to have a new one made — signed buttons already sent stop working)',
    );
    this.name = 'WeakSecretError';
  }
}

export function resolveSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    const bytes = Buffer.byteLength(secret, 'utf8');
    if (bytes < MIN_SECRET_BYTES) throw new WeakSecretError(file, bytes);
    return secret;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
