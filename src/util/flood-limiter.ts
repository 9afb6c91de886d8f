/**
 * Sliding-window count per person: more than `max` messages within `windowMs` is a flood.
 * The first message over the limit in a window is reported as `first` so the person is told
 * once, not once per message.
 */
export type FloodVerdict = 'ok' | 'first' | 'again';

export class FloodLimiter {
  private readonly hits = new Map<string, { times: number[]; warned: boolean }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  check(key: string, now: number): FloodVerdict {
    const entry = this.hits.get(key) ?? { times: [], warned: false };
    const since = now - this.windowMs;
    entry.times = entry.times.filter((t) => t > since);
    if (entry.times.length >= this.max) {
      this.hits.set(key, entry);
      if (entry.warned) return 'again';
      entry.warned = true;
      return 'first';
    }
    entry.times.push(now);
    entry.warned = false;
    this.hits.set(key, entry);
    this.prune(since);
    return 'ok';
  }

  /** Forget quiet people so memory stays bounded. */
  private prune(since: number): void {
    if (this.hits.size < 10_000) return;
    for (const [key, entry] of this.hits) {
      if (entry.times.every((t) => t <= since)) this.hits.delete(key);
    }
  }
}
