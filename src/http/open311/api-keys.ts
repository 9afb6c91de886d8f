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

  /** True when `candidate` is one of the keys. */
  accepts(candidate: unknown): boolean {
    return this.numberOf(candidate) !== null;
  }

  /**
   * The key's place in the list (1-based), for the records, or null when it is none of them.
   * Every key is compared, so timing tells nothing.
   */
  numberOf(candidate: unknown): number | null {
    if (typeof candidate !== 'string' || candidate === '') return null;
    const given = digest(candidate);
    let found = 0;
    for (let index = this.digests.length - 1; index >= 0; index -= 1) {
      if (timingSafeEqual(this.digests[index]!, given)) found = index + 1;
    }
    return found === 0 ? null : found;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
