/**
 * The scheduler's side of the ticket observer (service/ticket-observer.ts): told of every ticket
 * change inside the ticket service's transaction, it
 * - measures satisfaction again when the change is a rating (`recordRatingEffects`, in that same
 *   transaction, so an alert exists exactly when the rating does), and
 * - after the transaction has committed, schedules the deadline jobs of the ticket's new version.
 *
 * It cannot see the commit, so it remembers (ticket id, version) and looks every `intervalMs`:
 * once the database shows that version (or a newer one) the jobs are added and the alert rows
 * dispatched. A change rolled back never shows; it is forgotten after `giveUpMs` (the hourly sweep
 * and the outbox sweep cover anything lost, e.g. in a crash). Only ids are held, in memory.
 */
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { TicketChange, TicketObserver } from '../service/ticket-observer.js';

export interface TicketClockObserverDeps {
  prisma: PrismaClient;
  schedule: (ticketId: string) => Promise<unknown>;
  recordRatingEffects: (tx: Tx, ticketId: string) => Promise<QueuedOutboxRow[]>;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  intervalMs?: number;
  giveUpMs?: number;
}

/** Event kinds that change nothing the deadline jobs read (the escalations are the jobs' own). */
const NOT_SCHEDULING = new Set(['escalated', 'internal_note', 'rating_asked']);

interface Waiting {
  version: number;
  rows: QueuedOutboxRow[];
  since: number;
}

export class TicketClockObserver implements TicketObserver {
  private readonly waiting = new Map<string, Waiting>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: TicketClockObserverDeps) {}

  async ticketChanged(tx: Tx, change: TicketChange): Promise<void> {
    if (NOT_SCHEDULING.has(change.kind) || this.stopped) return;
    const ticket = await tx.ticket.findUnique({ where: { id: change.ticketId }, select: { version: true } });
    if (!ticket) return;
    const rows = change.kind === 'rated' ? await this.deps.recordRatingEffects(tx, change.ticketId) : [];
    const earlier = this.waiting.get(change.ticketId);
    this.waiting.set(change.ticketId, {
      version: Math.max(ticket.version, earlier?.version ?? 0),
      rows: [...(earlier?.rows ?? []), ...rows],
      since: Date.now(),
    });
    this.arm();
  }

  /** Takes a last look at what has committed by now, then stops; what is left is the sweeps'. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.waiting.size > 0) {
      await this.look().catch((error: unknown) => this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'ticket clock observer failed'));
    }
    this.waiting.clear();
  }

  private arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.look()
        .catch((error: unknown) => this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'ticket clock observer failed'))
        .finally(() => {
          this.running = undefined;
          if (this.waiting.size > 0) this.arm();
        });
    }, this.deps.intervalMs ?? 150);
    this.timer.unref();
  }

  private async look(): Promise<void> {
    const ids = [...this.waiting.keys()];
    const visible = await this.deps.prisma.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, version: true } });
    const rows: QueuedOutboxRow[] = [];
    for (const ticket of visible) {
      const entry = this.waiting.get(ticket.id);
      if (!entry || ticket.version < entry.version) continue;
      this.waiting.delete(ticket.id);
      rows.push(...entry.rows);
      await this.deps.schedule(ticket.id);
    }
    const giveUpBefore = Date.now() - (this.deps.giveUpMs ?? 30_000);
    for (const [id, entry] of this.waiting) if (entry.since < giveUpBefore) this.waiting.delete(id);
    if (rows.length > 0) await this.deps.outbox.dispatch(rows);
  }
}
