/** Open311 POST keys (`OPEN311_API_KEYS`): compared in constant time, never logged. */
import { createHash, timingSafeEqual } from 'node:crypto';

export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  /** False when no key is configured: POST is then switched off. */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** True when `candidate` is one of the keys. Every key is compared, so timing tells nothing. */
  accepts(candidate: unknown): boolean {
    if (typeof candidate !== 'string' || candidate === '') return false;
    const given = digest(candidate);
    let match = false;
    for (const known of this.digests) match = timingSafeEqual(known, given) || match;
    return match;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
