/**
 * {@link SendPacer} on Redis: the GCRA cell is one key, read and moved by a Lua script, which
 * Redis runs atomically. The script reads Redis's own clock (`TIME`, microseconds), so every
 * process paces against one clock. Keys expire shortly after their cell falls behind now.
 */
import { Redis } from 'ioredis';
import type { SendRate } from '../channels/types.js';
import type { Logger } from '../log/logger.js';
import { gcraParams, paceDecision, slotsWanted, type PaceDecision, type SendPacer, type TakeOptions } from './send-pacer.js';

// KEYS[1] the cell; ARGV[1] emission µs, ARGV[2] tolerance + horizon µs, ARGV[3] slots wanted.
// Returns { slots granted (0: refused), cell minus now in µs after the decision, first slot's start minus now in µs }.
const TAKE_SCRIPT = `
local emission = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local start = tonumber(redis.call('GET', KEYS[1]) or '0')
if start < now then start = now end
if start - now > limit then
  return { 0, start - now, 0 }
end
local slots = 1
while slots < wanted and start + slots * emission - now <= limit do slots = slots + 1 end
local tat = start + slots * emission
redis.call('SET', KEYS[1], tat, 'PX', math.ceil((tat - now) / 1000) + 1000)
return { slots, tat - now, start - now }
`;

// KEYS[1] the cell; ARGV[1] hold µs. Moves the cell to now + hold unless it is later already.
const HOLD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local held = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < held then
  redis.call('SET', KEYS[1], held, 'PX', math.ceil((held - now) / 1000) + 1000)
end
return 1
`;

interface PaceCommands {
  linliPaceTake(key: string, emissionUs: number, limitUs: number, wanted: number): Promise<[number, number, number]>;
  linliPaceHold(key: string, holdUs: number): Promise<number>;
}

export class RedisSendPacer implements SendPacer {
  private readonly redis: Redis & PaceCommands;

  /** `prefix` namespaces the keys (the queues' prefix, so a test's cleanup removes them too). */
  constructor(
    url: string,
    private readonly prefix: string = 'bull',
    logger?: Logger,
  ) {
    // Takes asked for in the same tick (the chats of sends whose claims were answered together)
    // go to Redis in one write and come back in one read.
    const redis = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
    redis.on('error', (error: Error) => logger?.warn({ err: error.message }, 'send pacing: redis connection error'));
    redis.defineCommand('linliPaceTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    redis.defineCommand('linliPaceHold', { numberOfKeys: 1, lua: HOLD_SCRIPT });
    this.redis = redis as Redis & PaceCommands;
  }

  async take(key: string, rate: SendRate, options: TakeOptions = {}): Promise<PaceDecision> {
    const params = gcraParams(rate);
    const horizonMs = Math.max(0, options.horizonMs ?? 0);
    const [slots, aheadUs, startUs] = await this.redis.linliPaceTake(
      this.cell(key),
      params.emissionUs,
      params.toleranceUs + Math.round(horizonMs * 1000),
      slotsWanted(options),
    );
    return paceDecision(slots, aheadUs, startUs, params, horizonMs);
  }

  async hold(key: string, ms: number): Promise<void> {
    await this.redis.linliPaceHold(this.cell(key), Math.max(0, Math.ceil(ms * 1000)));
  }

  async prune(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private cell(key: string): string {
    return `${this.prefix}:linli-pace:${key}`;
  }
}
