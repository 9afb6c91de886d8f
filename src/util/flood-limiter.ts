/**
 * Sliding-window rate per person: at most `max` messages are admitted within any `windowMs`.
 * A message over the limit is not dropped: `admit` says how long to wait before asking again,
 * so a flood is slowed down and handled in order.
 */
export class FloodLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** 0: go ahead now (the message is counted). Otherwise: ask again after this many ms. */
  admit(key: string, now: number): number {
    const since = now - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > since);
    this.hits.set(key, times);
    if (times.length >= this.max) return times[0]! - since;
    times.push(now);
    this.prune(since);
    return 0;
  }

  /** Forget quiet people so memory stays bounded. */
  private prune(since: number): void {
    if (this.hits.size < 10_000) return;
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= since)) this.hits.delete(key);
    }
  }
}
