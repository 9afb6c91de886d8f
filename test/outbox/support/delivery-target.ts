/**
 * Everything a delivery test needs on one backend: a real database, real BullMQ queues and a
 * real send pacer. Targets: the embedded PGlite (queues and pacing in it) always; PostgreSQL
 * when TEST_DATABASE_URL is set; Redis (queues and pacing; the database then PostgreSQL if
 * configured, else PGlite) when TEST_REDIS_URL is set. Each opened target has its own schemas
 * or key prefix, removed on close.
 */
import type { ChannelName } from '../../../src/channels/types.js';
import { createLogger } from '../../../src/log/logger.js';
import { DeliveryScheduler } from '../../../src/outbox/delivery-scheduler.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../../src/outbox/delivery-queue.js';
import type { Channel } from '../../../src/channels/types.js';
import { OutboxDispatcher, PRIORITY_REPLY, writeOutbox } from '../../../src/outbox/outbox.js';
import { createSendPacer } from '../../../src/outbox/create-send-pacer.js';
import type { SendPacer } from '../../../src/outbox/send-pacer.js';
import { createQueueBackend, queueSchemaFor, type QueueBackend, type QueueBackendKind } from '../../../src/queue/backend.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { seedCommunity } from '../../support/community.js';
import { deleteKeys, dropSchema, queueTargets, uniqueSuffix } from '../../queue/support/targets.js';

export const silentLogger = createLogger('silent');

export interface DeliveryTarget {
  kind: QueueBackendKind;
  db: TestDatabase;
  queues: QueueBackend;
  pacer: SendPacer;
  communityId: string;
  /** The Redis key prefix (queues and pacing). */
  prefix: string;
  close(): Promise<void>;
}

/** The backends this run can test. */
export function deliveryTargets(): QueueBackendKind[] {
  return queueTargets();
}

export async function openDeliveryTarget(kind: QueueBackendKind): Promise<DeliveryTarget> {
  const redisUrl = kind === 'redis' ? process.env.TEST_REDIS_URL : undefined;
  const db = await createTestDatabase(kind === 'pglite' ? 'pglite' : process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  const prefix = `ld-${uniqueSuffix()}`;
  let queues: QueueBackend;
  try {
    queues = await createQueueBackend({ database: db, logger: silentLogger, prefix, ...(redisUrl ? { redisUrl } : {}) });
  } catch (error) {
    await db.close();
    throw error;
  }
  const pacer = createSendPacer({ kind: queues.kind, prisma: db.prisma, prefix, ...(redisUrl ? { redisUrl } : {}) });
  const community = await seedCommunity(db.prisma);
  return {
    kind,
    db,
    queues,
    pacer,
    communityId: community.id,
    prefix,
    async close() {
      try {
        await queues.close();
        await pacer.close();
        if (redisUrl) await deleteKeys(redisUrl, `${prefix}:*`);
        else if (db.postgres) await dropSchema(db.postgres.connectionString, queueSchemaFor(db));
      } finally {
        await db.close();
      }
    },
  };
}

/** An outbox dispatcher over the target's queues, as the app builds one. */
export function dispatcherFor(target: DeliveryTarget): OutboxDispatcher {
  return new OutboxDispatcher(target.db.prisma, new DeliveryScheduler(target.queues, target.db.prisma, silentLogger), silentLogger);
}

/** Writes one outbox row per text to `chatId`, in one transaction, as a reply unless told otherwise. */
export function writeTexts(target: DeliveryTarget, channel: ChannelName, chatId: string, texts: readonly string[], priority = PRIORITY_REPLY) {
  return target.db.prisma.$transaction((tx) =>
    writeOutbox(
      tx,
      texts.map((text) => ({ communityId: target.communityId, channel, chatId, message: { text }, priority })),
    ),
  );
}

/**
 * Starts the delivery workers on `target` for `channels` (concurrency 4) and has `outbox` send
 * replies straight from this process, as the app does; `claimsOnWrite` also lets unpaced
 * channels' replies be written already claimed.
 */
export function startDirectDelivery(
  target: DeliveryTarget,
  outbox: OutboxDispatcher,
  channels: readonly Channel[],
  options: { claimsOnWrite?: boolean } = {},
): DeliveryWorkers {
  const started = startDeliveryWorkers(
    target.queues,
    { prisma: target.db.prisma, channels: new Map(channels.map((c) => [c.name, c])), logger: silentLogger },
    { concurrency: 4, pacer: target.pacer },
  );
  if (options.claimsOnWrite) outbox.sendRepliesDirectly((rows) => started.deliverNow(rows), (channel) => started.claimsOnWrite(channel));
  else outbox.sendRepliesDirectly((rows) => started.deliverNow(rows));
  return started;
}
