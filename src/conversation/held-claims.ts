/**
 * The inbound messages this process is working on, and the timer that keeps their claims alive:
 * while a process lives, no re-delivery or other process's sweep takes its messages up; once it
 * dies, its claims run out within one claim period.
 */
import type { Logger } from '../log/logger.js';
import type { SqlRunner } from '../db/sql.js';
import { renewClaims, type ClaimTimes } from './inbound-records.js';

export class HeldClaims {
  /** Inbound id → how many routes hold it (a message is normally held once). */
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: SqlRunner,
    /** How long a claim lasts unless renewed; renewed every third of it. */
    readonly claimMs: number,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** A claim taken now, for a row inserted or taken up now. */
  times(): ClaimTimes {
    const now = this.now();
    return { now: new Date(now), until: new Date(now + this.claimMs) };
  }

  hold(id: string): void {
    this.held.set(id, (this.held.get(id) ?? 0) + 1);
  }

  release(id: string): void {
    const count = this.held.get(id) ?? 0;
    if (count <= 1) this.held.delete(id);
    else this.held.set(id, count - 1);
  }

  ids(): string[] {
    return [...this.held.keys()];
  }

  /** Renews every claim held, now and every third of a claim period, until {@link stop}. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renew().catch((error: unknown) => this.logger.warn({ err: String(error), held: this.held.size }, 'inbound claims not renewed'));
    }, Math.max(1, Math.floor(this.claimMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async renew(): Promise<void> {
    await renewClaims(this.sql, this.ids(), this.times().until);
  }
}
