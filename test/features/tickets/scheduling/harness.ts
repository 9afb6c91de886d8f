/**
 * The scheduling part of the app on a real test database and real queues (BullMQ on the database,
 * or on Redis with a fresh prefix when TEST_REDIS_URL is set with PostgreSQL), wired as in
 * src/app.ts, with an optional clock so a test can stand at a chosen instant.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AccountNotifier } from '../../../../src/notify/account-notifier.js';
import { loadTranslator, type Translator } from '../../../../src/i18n/translator.js';
import { createLogger } from '../../../../src/log/logger.js';
import { DeliveryScheduler } from '../../../../src/outbox/delivery-scheduler.js';
import { OutboxDispatcher } from '../../../../src/outbox/outbox.js';
import { createQueueBackend, type QueueBackend } from '../../../../src/queue/backend.js';
import { createTicketScheduling, type TicketScheduling } from '../../../../src/features/tickets/scheduling/ticket-scheduling.js';
import { queueTargetFor } from '../../../support/app.js';
import { createTestDatabase, type DatabaseTarget, type TestDatabase } from '../../../support/database.js';

export interface SchedulingHarness {
  db: TestDatabase;
  queues: QueueBackend;
  translator: Translator;
  scheduling: TicketScheduling;
  outbox: OutboxDispatcher;
  close(): Promise<void>;
}

export const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', '..', 'locales'));

export async function openSchedulingHarness(
  target: DatabaseTarget,
  options: { now?: () => Date; digestHour?: number; workers?: boolean } = {},
): Promise<SchedulingHarness> {
  const db = await createTestDatabase(target);
  const logger = createLogger('silent');
  const redisUrl = queueTargetFor(target) === 'redis' ? process.env['TEST_REDIS_URL'] : undefined;
  const queues = await createQueueBackend({ ...(redisUrl ? { redisUrl } : {}), database: db, prefix: `t${randomBytes(5).toString('hex')}`, logger });
  const outbox = new OutboxDispatcher(db.prisma, new DeliveryScheduler(queues, db.prisma, logger), logger);
  const scheduling = createTicketScheduling({
    prisma: db.prisma,
    queues,
    notifier: new AccountNotifier({ translator }),
    translator,
    outbox,
    logger,
    digestHour: options.digestHour ?? 8,
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.workers ?? true) scheduling.startWorkers();
  return {
    db,
    queues,
    outbox,
    translator,
    scheduling,
    async close() {
      await scheduling.stop();
      await queues.close();
      await db.close();
    },
  };
}
