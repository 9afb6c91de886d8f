/**
 * Hands outbox rows to the delivery queue once the transaction that wrote them has committed,
 * for rows written inside someone else's transaction (the ticket observer is called within the
 * ticket service's transaction and cannot know when it commits). Rows are looked for every
 * `intervalMs` and dispatched once they are visible and still pending; rows not visible after
 * `giveUpMs` were rolled back (or are left to the outbox sweep, which sends any row still pending
 * after half a minute). Only ids are kept, in memory: a crash loses nothing but speed.
 */
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../outbox/outbox.js';

export interface AfterCommitDispatchOptions {
  intervalMs?: number;
  giveUpMs?: number;
  now?: () => number;
}

export class AfterCommitDispatch {
  private readonly waiting = new Map<string, { row: QueuedOutboxRow; since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly giveUpMs: number;
  private readonly now: () => number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly outbox: Pick<OutboxDispatcher, 'dispatch'>,
    private readonly logger: Logger,
    options: AfterCommitDispatchOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 150;
    this.giveUpMs = options.giveUpMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Remembers rows written in a transaction still open; they go to the queue after its commit. */
  watch(rows: readonly QueuedOutboxRow[]): void {
    if (this.stopped || rows.length === 0) return;
    for (const row of rows) this.waiting.set(row.id, { row, since: this.now() });
    this.schedule();
  }

  /** Stops looking; what is left is the sweep's. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.look()
        .catch((error: unknown) => this.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'after-commit dispatch failed'))
        .finally(() => {
          this.running = undefined;
          if (this.waiting.size > 0) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async look(): Promise<void> {
    const ids = [...this.waiting.keys()];
    const visible = await this.prisma.outboxMessage.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    const ready: QueuedOutboxRow[] = [];
    for (const row of visible) {
      const entry = this.waiting.get(row.id);
      this.waiting.delete(row.id);
      if (entry && row.status === 'pending') ready.push(entry.row);
    }
    const giveUpBefore = this.now() - this.giveUpMs;
    for (const [id, entry] of this.waiting) if (entry.since < giveUpBefore) this.waiting.delete(id);
    if (ready.length > 0) await this.outbox.dispatch(ready);
  }
}
