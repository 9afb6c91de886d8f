/**
 * How many chats `deliverNow` sends to at once from the process that wrote their replies, and
 * the line the others wait in, in the order they came.
 *
 * A reply that finds every slot taken used to become a queue job: a statement to mark it
 * queued, the job's add, pick-up, lock and completion, and the worker's claim — measured under a
 * burst of 2,000 chats, seconds between the reply's commit and its claim. Waiting here costs
 * nothing of that; it holds no claim (the row stays `pending`), so a crash loses nothing: the
 * outbox sweep queues pending rows that nobody sent. The line is kept short enough that its
 * rows go out well before the sweep would take them (see {@link directLineLength}).
 */
import type { SendRate } from '../channels/types.js';

/** How long the last row of a full line may wait for its slot, at the account's rate. */
const LINE_HORIZON_MS = 5_000;
/** Rows waiting in one line at most, whatever the rate (memory; an unpaced channel). */
const MAX_LINE = 2_000;
/**
 * What a send and its record take, about: the slots needed to keep an account's rate busy are
 * its rate times this. Telegram's 30/s needs 3, so the worker's concurrency is plenty there.
 */
const SEND_ROUND_TRIP_MS = 100;
/** Direct sends at once at most, whatever the rate (database connections, sockets). */
const MAX_SLOTS = 64;

/** Slots for an account's rate: at least the worker's concurrency, more when the rate can use them. */
export function directSlots(concurrency: number, rate: SendRate | undefined): number {
  const perMs = rate ? rate.max / rate.perMs : Number.POSITIVE_INFINITY;
  return Math.max(concurrency, Math.min(MAX_SLOTS, Math.ceil(perMs * SEND_ROUND_TRIP_MS)));
}

/** Rows that may wait in line for an account's rate: what it sends in {@link LINE_HORIZON_MS}. */
export function directLineLength(rate: SendRate | undefined): number {
  const perMs = rate ? rate.max / rate.perMs : Number.POSITIVE_INFINITY;
  return Math.min(MAX_LINE, Math.floor(perMs * LINE_HORIZON_MS));
}

export class DirectLine {
  private active = 0;
  private readonly line: Array<(granted: boolean) => void> = [];
  private closed = false;

  constructor(
    private readonly slots: number,
    private readonly lineLength: number,
  ) {}

  /** Whether a chat more may be taken now: a free slot, or room in the line. */
  hasRoom(): boolean {
    return !this.closed && this.active + this.line.length < this.slots + this.lineLength;
  }

  /**
   * Runs `send` in a slot, once one is free. Resolves with `send`'s result, or `undefined` when
   * the line was closed before a slot came (nothing was tried).
   */
  async run<T>(send: () => Promise<T>): Promise<T | undefined> {
    if (!(await this.take())) return undefined;
    try {
      return await send();
    } finally {
      this.giveBack();
    }
  }

  /** Those still waiting get no slot (they are handed back untried); those sending finish. */
  close(): void {
    this.closed = true;
    for (const waiter of this.line.splice(0)) waiter(false);
  }

  private take(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.active < this.slots) {
      this.active += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.line.push(resolve));
  }

  /** A finished send's slot goes straight to the next in line. */
  private giveBack(): void {
    const next = this.line.shift();
    if (next) next(true);
    else this.active -= 1;
  }
}
