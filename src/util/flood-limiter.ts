/**
 * Sliding-window rate per person: at most `max` messages are admitted within any `windowMs`.
 * A message over the limit is not dropped: the caller waits `waitMs` and asks again, so a
 * flood is slowed down and handled in order. `warn` is true once per flood, so the person is
 * told once, not once per message.
 */
export interface FloodDecision {
  /** 0: go ahead now (and the message is counted). Otherwise ask again after this long. */
  waitMs: number;
  /** First refusal in this flood: tell the person to slow down. */
  warn: boolean;
}

export class FloodLimiter {
  private readonly hits = new Map<string, { times: number[]; warned: boolean }>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  admit(key: string, now: number): FloodDecision {
    const entry = this.hits.get(key) ?? { times: [], warned: false };
    const since = now - this.windowMs;
    entry.times = entry.times.filter((t) => t > since);
    this.hits.set(key, entry);
    if (entry.times.length >= this.max) {
      const warn = !entry.warned;
      entry.warned = true;
      return { waitMs: entry.times[0]! - since, warn };
    }
    // A person admitted with room to spare (or after a quiet window) has calmed down.
    if (entry.times.length === 0 || entry.times.length + 1 < this.max) entry.warned = false;
    entry.times.push(now);
    this.prune(since);
    return { waitMs: 0, warn: false };
  }

  /** Forget quiet people so memory stays bounded. */
  private prune(since: number): void {
    if (this.hits.size < 10_000) return;
    for (const [key, entry] of this.hits) {
      if (entry.times.every((t) => t <= since)) this.hits.delete(key);
    }
  }
}
