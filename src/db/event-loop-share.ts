/**
 * The embedded database shares the event loop with everything else in the process.
 *
 * PGlite runs PostgreSQL on the main thread and answers through promises alone: a statement's
 * result resolves, its caller's next statement runs, and so on, all without going back to the
 * event loop. Under load (a hundred chats in their turns and deliveries) one pass of the loop
 * then lasted over a second of back-to-back statements; Node accepts one new connection per
 * pass, so a browser opening a connection during a busy minute waited behind dozens of others
 * for over 30 s while the chats already connected got their replies in one — and timers
 * (claim renewals, pacing) ran as late.
 *
 * So each statement outside a transaction (a whole transaction counts as one) takes its turn:
 * while the current pass has spent less than `sliceMs` on statements it goes at once; after
 * that it waits in line for a later pass (`setImmediate`: after the loop has accepted
 * connections, read sockets and run due timers). Statements inside a transaction are not held:
 * the transaction holds the database already, and holding it longer would only make everyone
 * else wait longer.
 */
import type { PGlite } from '@electric-sql/pglite';

// Taken at load so a test's fake timers (installed later) cannot stop the database from answering.
const realSetImmediate = globalThis.setImmediate;
const realNow = performance.now.bind(performance);
const realNextTick = process.nextTick.bind(process);

/** Time a pass of the event loop spends on statements before the rest wait for the next pass. */
export const DEFAULT_SLICE_MS = 10;

export interface EventLoopShareOptions {
  sliceMs?: number;
  /** Milliseconds from any fixed point (tests give a clock of their own). */
  now?: () => number;
}

/**
 * Lets statements go while the current pass of the event loop has time left, and queues the rest,
 * in the order they came, for the passes after. Whoever gets a statement through may send its
 * next one at once, while the pass has time (a turn's statements follow one another instead of
 * each waiting for a round of everyone else's); when the pass runs out it waits at the back of
 * the line, so a newcomer waits behind those already waiting, never behind everyone who comes
 * back for another statement.
 */
export class EventLoopShare {
  private readonly sliceMs: number;
  private readonly now: () => number;
  /** When the first statement of the current pass went; undefined until one has. */
  private passStartedAt: number | undefined;
  private readonly waiting: (() => void)[] = [];
  private nextPassAsked = false;
  /**
   * A statement has just finished: until the microtasks now running are done (its sender going on
   * to its next statement, if it has one) statements go without queueing; then the first in line.
   */
  private justFinished = false;

  constructor(options: EventLoopShareOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.now = options.now ?? realNow;
  }

  /** Runs `statement` when its turn comes (see the class). */
  async run<T>(statement: () => Promise<T>): Promise<T> {
    if ((this.waiting.length > 0 && !this.justFinished) || !this.passHasTime()) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.askForNextPass();
      });
    }
    try {
      return await statement();
    } finally {
      this.finished();
    }
  }

  private finished(): void {
    if (this.justFinished) return;
    this.justFinished = true;
    // A tick runs once the microtask queue is empty: after the sender's own next statements.
    realNextTick(() => {
      this.justFinished = false;
      this.letNextGo();
    });
  }

  /** After a statement: the first in line goes if this pass has time left, else in the next pass. */
  private letNextGo(): void {
    if (this.waiting.length === 0) return;
    if (this.passHasTime()) this.waiting.shift()!();
    else this.askForNextPass();
  }

  private askForNextPass(): void {
    if (this.nextPassAsked) return;
    this.nextPassAsked = true;
    // After the loop has accepted connections, read sockets and run due timers.
    realSetImmediate(() => {
      this.nextPassAsked = false;
      this.passStartedAt = undefined;
      this.letNextGo();
    });
  }

  private passHasTime(): boolean {
    const now = this.now();
    if (this.passStartedAt === undefined) {
      this.passStartedAt = now;
      // Once the loop has turned, the next pass starts afresh.
      realSetImmediate(() => (this.passStartedAt = undefined));
      return true;
    }
    return now - this.passStartedAt < this.sliceMs;
  }
}

/**
 * Makes every statement sent to `pglite` outside a transaction — Prisma's, plain SQL's, the
 * queues' — take its turn (see {@link EventLoopShare}). Call once, right after creating it.
 */
export function shareEventLoop(pglite: PGlite, options: EventLoopShareOptions = {}): EventLoopShare {
  const share = new EventLoopShare(options);
  const query = pglite.query.bind(pglite);
  const exec = pglite.exec.bind(pglite);
  const transaction = pglite.transaction.bind(pglite);
  const held = pglite as unknown as Record<'query' | 'exec' | 'transaction', (...args: never[]) => Promise<unknown>>;
  held.query = (...args: Parameters<typeof query>) => share.run(() => query(...args));
  held.exec = (...args: Parameters<typeof exec>) => share.run(() => exec(...args));
  held.transaction = (...args: Parameters<typeof transaction>) => share.run(() => transaction(...args));
  return share;
}
