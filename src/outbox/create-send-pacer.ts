/** Picks the {@link SendPacer} that lives where the queues live. */
import type { QueueBackendKind } from '../queue/backend.js';
import type { PrismaClient } from '../db/prisma-types.js';
import type { Logger } from '../log/logger.js';
import { DatabaseSendPacer } from './pacer-database.js';
import { RedisSendPacer } from './pacer-redis.js';
import type { SendPacer } from './send-pacer.js';

export interface SendPacerOptions {
  /** The queue backend's kind (`queues.kind`): Redis → the Lua bucket, otherwise the database row. */
  kind: QueueBackendKind;
  /** Required with kind `redis`. */
  redisUrl?: string;
  /** Redis key prefix (the queues' prefix). */
  prefix?: string;
  prisma: PrismaClient;
  logger?: Logger;
  /** Database backend: wait for each pacing move to reach the disk (default false: a lost move is harmless). */
  durableCommits?: boolean;
}

/**
 * @example
 * const pacer = createSendPacer({ kind: queues.kind, redisUrl: config.REDIS_URL, prisma, logger });
 */
export function createSendPacer(options: SendPacerOptions): SendPacer {
  if (options.kind === 'redis') {
    if (!options.redisUrl) throw new Error('Send pacing on Redis needs the Redis URL');
    return new RedisSendPacer(options.redisUrl, options.prefix, options.logger);
  }
  return new DatabaseSendPacer(options.prisma, { durableCommits: options.durableCommits ?? false });
}
