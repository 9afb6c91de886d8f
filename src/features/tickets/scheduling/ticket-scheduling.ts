/**
 * Everything that happens to tickets on the clock, put together for the composition root:
 * deadline jobs and their sweep, the satisfaction alert, the digests. `listen(events)` subscribes
 * it to `ticket.changed`: it schedules the deadline jobs after each commit that files or
 * changes a ticket and runs `recordRatingEffects` in the transaction that records a rating. Both
 * are also callable directly (`scheduleTicketDeadlines` after a commit, `recordRatingEffects`
 * inside one).
 *
 * @example
 * const scheduling = createTicketScheduling({ prisma, queues, notifier, translator, outbox, logger, digestHour: 8 });
 * scheduling.startWorkers();          // worker processes only
 * await scheduling.start(communityId); // schedulers, catch-up, sweep now and hourly
 */
import type { ChannelName } from '../../../channels/types.js';
import type { AccountNotifier } from '../../../notify/account-notifier.js';
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { QueueBackend } from '../../../queue/backend.js';
import { QueueNames } from '../../../queue/names.js';
import type { EventPublisher, EventSubscriber } from '../../../events/index.js';
import { startDeadlineWorker } from './deadline-worker.js';
import { startDigestWorker } from './digest-worker.js';
import { SatisfactionWatch } from './satisfaction-watch.js';
import { TicketClockListener } from './ticket-clock-listener.js';
import { ChatStaffAlerts, type StaffAlerts } from './staff-alerts.js';
import { TicketDeadlines } from './ticket-deadlines.js';
import { TicketDigests } from './ticket-digests.js';

/** How often the deadline sweep looks for tickets whose jobs were lost. */
export const DEADLINE_SWEEP_EVERY_MS = 3_600_000;

export interface TicketSchedulingDeps {
  prisma: PrismaClient;
  queues: QueueBackend;
  notifier: AccountNotifier;
  translator: Translator;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  /** Local hour of the digests (`DIGEST_HOUR`). */
  digestHour: number;
  /** Where committee messages go; default: the staff chat through the outbox. */
  staffAlerts?: StaffAlerts;
  /** Where escalations are published (`ticket.changed`: the staff inbox hears them). */
  events?: EventPublisher;
  textLimitOf?: (channel: ChannelName) => number;
  now?: () => Date;
}

export interface TicketScheduling {
  readonly deadlines: TicketDeadlines;
  readonly satisfaction: SatisfactionWatch;
  readonly digests: TicketDigests;
  /** Hears `ticket.changed`: deadlines after each commit, satisfaction on ratings. */
  readonly clock: TicketClockListener;
  /** Subscribes `clock` to the bus. */
  listen(events: EventSubscriber): void;
  /** After the commit that filed or changed the ticket: the jobs of its current version. */
  scheduleTicketDeadlines(ticketId: string): Promise<void>;
  /** Inside the transaction that recorded a rating; dispatch the returned rows after commit. */
  recordRatingEffects(tx: Tx, ticketId: string): Promise<QueuedOutboxRow[]>;
  /** Starts the deadline and digest workers (processes that run workers). */
  startWorkers(): void;
  /** Installs the digest schedulers, catches up today's digests, sweeps now and every hour. */
  start(communityId: string): Promise<void>;
  /** Stops the hourly sweep (workers close with the queue backend). */
  stop(): Promise<void>;
}

export function createTicketScheduling(deps: TicketSchedulingDeps): TicketScheduling {
  const staffAlerts =
    deps.staffAlerts ?? new ChatStaffAlerts({ ...(deps.textLimitOf ? { textLimitOf: deps.textLimitOf } : {}), ...(deps.now ? { now: deps.now } : {}) });
  const clock = deps.now ? { now: deps.now } : {};
  const deadlines = new TicketDeadlines({
    prisma: deps.prisma,
    queue: deps.queues.queue(QueueNames.ticketDeadlines),
    notifier: deps.notifier,
    staffAlerts,
    translator: deps.translator,
    outbox: deps.outbox,
    logger: deps.logger,
    ...(deps.events ? { events: deps.events } : {}),
    ...clock,
  });
  const satisfaction = new SatisfactionWatch({ staffAlerts, translator: deps.translator, ...clock });
  const digests = new TicketDigests({
    prisma: deps.prisma,
    queue: deps.queues.queue(QueueNames.ticketDigests),
    staffAlerts,
    translator: deps.translator,
    outbox: deps.outbox,
    logger: deps.logger,
    hour: deps.digestHour,
    ...clock,
  });
  const listener = new TicketClockListener({
    schedule: (ticketId) => deadlines.schedule(ticketId),
    recordRatingEffects: (tx, ticketId) => satisfaction.recordRatingEffects(tx, ticketId),
    logger: deps.logger,
  });
  let sweepTimer: NodeJS.Timeout | undefined;

  return {
    deadlines,
    satisfaction,
    digests,
    clock: listener,
    listen(events) {
      events.on('ticket.changed', (tx, change) => listener.ticketChanged(tx, change));
    },
    async scheduleTicketDeadlines(ticketId) {
      await deadlines.schedule(ticketId);
    },
    recordRatingEffects: (tx, ticketId) => satisfaction.recordRatingEffects(tx, ticketId),
    startWorkers() {
      startDeadlineWorker(deps.queues, deadlines);
      startDigestWorker(deps.queues, digests);
    },
    async start(communityId) {
      await digests.install(communityId);
      await digests.catchUp(communityId);
      const sweep = async () => {
        const pending = await deadlines.sweep(communityId);
        deps.logger.debug({ communityId, pending }, 'ticket deadline sweep');
      };
      await sweep();
      sweepTimer = setInterval(() => {
        sweep().catch((error: unknown) => deps.logger.warn({ err: String(error) }, 'ticket deadline sweep failed'));
      }, DEADLINE_SWEEP_EVERY_MS);
      sweepTimer.unref();
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
    },
  };
}
