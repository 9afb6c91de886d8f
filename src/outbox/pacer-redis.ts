/**
 * {@link SendPacer} on Redis: the GCRA cell is one key, read and moved by a Lua script, which
 * Redis runs atomically. The script reads Redis's own clock (`TIME`), so every process paces
 * against one clock. Keys expire shortly after their cell falls behind now.
 */
import { Redis } from 'ioredis';
import type { SendRate } from '../channels/types.js';
import type { Logger } from '../log/logger.js';
import { gcraParams, type PaceDecision, type SendPacer } from './send-pacer.js';

// KEYS[1] the cell; ARGV[1] emission ms, ARGV[2] tolerance ms.
// Returns { granted (1/0), cell minus now in ms after the decision }.
const TAKE_SCRIPT = `
local emission = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - now > tolerance then
  return { 0, tat - now }
end
tat = tat + emission
redis.call('SET', KEYS[1], tat, 'PX', tat - now + 1000)
return { 1, tat - now }
`;

interface PaceCommands {
  linliPaceTake(key: string, emissionMs: number, toleranceMs: number): Promise<[number, number]>;
}

export class RedisSendPacer implements SendPacer {
  private readonly redis: Redis & PaceCommands;

  /** `prefix` namespaces the keys (the queues' prefix, so a test's cleanup removes them too). */
  constructor(
    url: string,
    private readonly prefix: string = 'bull',
    logger?: Logger,
  ) {
    const redis = new Redis(url, { maxRetriesPerRequest: 3 });
    redis.on('error', (error: Error) => logger?.warn({ err: error.message }, 'send pacing: redis connection error'));
    redis.defineCommand('linliPaceTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.redis = redis as Redis & PaceCommands;
  }

  async take(key: string, rate: SendRate): Promise<PaceDecision> {
    const { emissionMs, toleranceMs } = gcraParams(rate);
    const [granted, aheadMs] = await this.redis.linliPaceTake(`${this.prefix}:linli-pace:${key}`, emissionMs, toleranceMs);
    return { granted: granted === 1, waitMs: Math.max(0, aheadMs - toleranceMs) };
  }

  async prune(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
