/**
 * The send pacer on every backend it runs on (the database row on PGlite and PostgreSQL, the Lua
 * bucket on Redis): spacing, bursts, jitter, reserving one slot ahead, holds (a 429), and that
 * many callers at once — including a second process's connection — are granted exactly as many
 * slots as the rate allows. Plus the pure arithmetic it and the workers are built on.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { DatabaseSendPacer } from '../../src/outbox/pacer-database.js';
import { RedisSendPacer } from '../../src/outbox/pacer-redis.js';
import { defaultPacing, isTelegramGroupChat, limiterFor } from '../../src/outbox/platform-pacing.js';
import { chatPaceKey, gcraParams, type SendPacer } from '../../src/outbox/send-pacer.js';
import { uniqueSuffix } from '../queue/support/targets.js';
import { deliveryTargets, openDeliveryTarget, type DeliveryTarget } from './support/delivery-target.js';

/** Clock reads on either side of a statement: a few ms of slack on a busy machine. */
const TOLERANCE_MS = 30;

describe('pacing arithmetic', () => {
  it('spaces messages evenly by default, lets a burst through when asked, and stretches gaps by jitter', () => {
    expect(gcraParams({ max: 20, perMs: 60_000 })).toEqual({ emissionUs: 3_000_000, toleranceUs: 0 });
    // Microseconds: 30/s is 33.334 ms a message, not 34 (which would give away 2 % of the budget).
    expect(gcraParams({ max: 30, perMs: 1000 })).toEqual({ emissionUs: 33_334, toleranceUs: 0 });
    expect(gcraParams({ max: 300, perMs: 1000 })).toEqual({ emissionUs: 3_334, toleranceUs: 0 });
    expect(gcraParams({ max: 5, perMs: 1000, burst: 5 })).toEqual({ emissionUs: 200_000, toleranceUs: 800_000 });
    expect(gcraParams({ max: 1, perMs: 1000, jitterMs: 2000 }, () => 0.5).emissionUs).toBe(2_000_000);
    expect(() => gcraParams({ max: 0, perMs: 1000 })).toThrow(RangeError);
  });

  it('turns an account rate into a limiter window near the one aimed at, never above the rate', () => {
    expect(limiterFor({ max: 30, perMs: 1000 })).toEqual({ max: 1, duration: 34 });
    expect(limiterFor({ max: 300, perMs: 1000 })).toEqual({ max: 12, duration: 40 });
    expect(limiterFor({ max: 20, perMs: 1000 })).toEqual({ max: 1, duration: 50 });
    expect(limiterFor({ max: 10, perMs: 1000, burst: 5 })).toEqual({ max: 5, duration: 500 });
    for (const rate of [{ max: 30, perMs: 1000 }, { max: 300, perMs: 1000 }, { max: 7, perMs: 100 }, { max: 45, perMs: 1000 }, { max: 1000, perMs: 1000 }]) {
      const { max, duration } = limiterFor(rate);
      // However the windows fall, a span of the platform's window never holds more than the rate.
      expect(Math.ceil(rate.perMs / duration) * max).toBeLessThanOrEqual(rate.max);
      expect(duration).toBeGreaterThanOrEqual(Math.min(30, rate.perMs));
      // And little of the rate is given away.
      expect((max / duration) * rate.perMs).toBeGreaterThan(rate.max * 0.9);
    }
  });

  it('paces Telegram groups (negative ids) by the minute and people by the second; WeChat one at a time', () => {
    const pacing = defaultPacing({
      TELEGRAM_MAX_PER_SECOND: 30,
      TELEGRAM_MAX_PER_CHAT_PER_SECOND: 1,
      TELEGRAM_MAX_PER_GROUP_PER_MINUTE: 20,
      WECHAT_MIN_SEND_INTERVAL_MS: 1000,
      WECHAT_MAX_SEND_INTERVAL_MS: 3000,
    });
    expect(isTelegramGroupChat('-1001234567890')).toBe(true);
    expect(pacing.telegram?.perChat?.('-1001234567890')).toEqual({ max: 20, perMs: 60_000 });
    expect(pacing.telegram?.perChat?.('123456')).toEqual({ max: 1, perMs: 1000 });
    expect(pacing.telegram?.perAccount).toEqual({ max: 30, perMs: 1000 });
    expect(pacing.wechat?.perAccount).toEqual({ max: 1, perMs: 1000, jitterMs: 2000 });
    expect(pacing.web).toBeUndefined();
  });
});

describe.each(deliveryTargets())('send pacer on %s', (kind) => {
  let target: DeliveryTarget;
  let pacer: SendPacer;

  beforeAll(async () => {
    target = await openDeliveryTarget(kind);
    pacer = target.pacer;
  });
  afterAll(async () => {
    await target?.close();
  });

  const key = (what: string) => chatPaceKey('acct', `${what}-${uniqueSuffix()}`);

  it('grants the first message, then refuses until one interval has passed', async () => {
    const chat = key('spacing');
    const rate = { max: 1, perMs: 1000 };
    const asked = Date.now();
    const first = await pacer.take(chat, rate);
    expect(first.granted).toBe(true);
    expect(first.waitMs).toBeLessThanOrEqual(1000);
    expect(first.waitMs).toBeGreaterThan(1000 - (Date.now() - asked) - TOLERANCE_MS);

    const second = await pacer.take(chat, rate);
    expect(second.granted).toBe(false);
    // The slot frees one interval after the first was granted, whatever time the calls took.
    expect(second.waitMs).toBeLessThanOrEqual(1000);
    expect(second.waitMs).toBeGreaterThan(1000 - (Date.now() - asked) - TOLERANCE_MS);

    await new Promise((resolve) => setTimeout(resolve, second.waitMs + 5));
    expect((await pacer.take(chat, rate)).granted).toBe(true);
  });

  it('lets a burst go back to back, then spaces the rest', async () => {
    const chat = key('burst');
    const rate = { max: 3, perMs: 3000, burst: 3 };
    const asked = Date.now();
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await pacer.take(chat, rate));
    expect(decisions.map((d) => d.granted)).toEqual([true, true, true, false]);
    // A burst of three uses the first slot's interval: the fourth may go 1 s after the first.
    expect(decisions[3]!.waitMs).toBeLessThanOrEqual(1000);
    expect(decisions[3]!.waitMs).toBeGreaterThan(1000 - (Date.now() - asked) - TOLERANCE_MS);
  });

  it('keeps chats apart: one chat’s budget does not touch another’s', async () => {
    const rate = { max: 1, perMs: 10_000 };
    expect((await pacer.take(key('a'), rate)).granted).toBe(true);
    expect((await pacer.take(key('b'), rate)).granted).toBe(true);
  });

  it('answers many chats asking at once each by its own budget (takes asked together go together)', async () => {
    const rate = { max: 1, perMs: 10_000 };
    const chats = Array.from({ length: 30 }, (_, i) => key(`many-${i}`));
    // Every third chat has had its message already.
    for (const chat of chats.filter((_, i) => i % 3 === 0)) expect((await pacer.take(chat, rate)).granted).toBe(true);
    const decisions = await Promise.all(chats.map((chat) => pacer.take(chat, rate)));
    decisions.forEach((decision, i) => {
      expect(decision.granted, `chat ${i}`).toBe(i % 3 !== 0);
      if (!decision.granted) expect(decision.waitMs, `chat ${i}`).toBeGreaterThan(10_000 - 1_000);
    });
    // Granted now, each of those is refused next: its own cell moved, no other's.
    const again = await Promise.all(chats.map((chat) => pacer.take(chat, rate)));
    expect(again.filter((decision) => decision.granted)).toEqual([]);
  });

  it('grants exactly the rate’s slots to many callers asking at once, from two connections', async () => {
    const chat = key('race');
    const rate = { max: 5, perMs: 60_000, burst: 5 };
    // A second, independent connection: what a second worker process would use.
    let second: SendPacer;
    let closeSecond = async () => {};
    if (kind === 'redis') {
      const other = new RedisSendPacer(process.env.TEST_REDIS_URL!, target.prefix);
      second = other;
      closeSecond = () => other.close();
    } else if (target.db.postgres) {
      const other = await openDatabase({ databaseUrl: target.db.postgres.connectionString, dataDir: tmpdir(), schema: target.db.postgres.schema });
      second = new DatabaseSendPacer(other.prisma);
      closeSecond = () => other.close();
    } else {
      second = new DatabaseSendPacer(target.db.prisma);
    }
    try {
      const asked = Date.now();
      const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? second : pacer).take(chat, rate)));
      const elapsed = Date.now() - asked;
      expect(decisions.filter((d) => d.granted)).toHaveLength(5);
      // Every refusal names the same next slot: 12 s after the first grant.
      const refused = decisions.filter((d) => !d.granted);
      expect(refused.filter((d) => !(d.waitMs > 12_000 - elapsed - TOLERANCE_MS && d.waitMs <= 12_000))).toEqual([]);
    } finally {
      await closeSecond();
    }
  });

  it('varies the gap when asked for jitter, within its bounds', async () => {
    const gaps: number[] = [];
    for (let i = 0; i < 8; i += 1) gaps.push((await pacer.take(key('jitter'), { max: 1, perMs: 1000, jitterMs: 1000 })).waitMs);
    expect(gaps.every((gap) => gap > 1000 - TOLERANCE_MS && gap <= 2000)).toBe(true);
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it.skipIf(kind === 'redis')('commits its moves without waiting for the disk, and only its own: the connection’s setting is untouched', async () => {
    const prisma = target.db.prisma;
    const before = await prisma.$queryRaw<{ synchronous_commit: string }[]>`SHOW synchronous_commit`;
    for (let i = 0; i < 10; i += 1) await pacer.take(key('commit'), { max: 10, perMs: 1000 });
    // Every pooled connection answers as before: the setting ended with each move's transaction.
    const after = await Promise.all(Array.from({ length: 10 }, () => prisma.$queryRaw<{ synchronous_commit: string }[]>`SHOW synchronous_commit`));
    expect(after.map((rows) => rows[0]!.synchronous_commit)).toEqual(Array(10).fill(before[0]!.synchronous_commit));
    // What a move does to its own commit, read back inside a transaction made the same way.
    const [inside] = await prisma.$queryRaw<{ mode: string }[]>`
      SELECT current_setting('synchronous_commit') AS mode FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode`;
    expect(inside!.mode).toBe('off');
  });

  it('reserves the next slot within the horizon, says when it begins, and refuses beyond it', async () => {
    const account = key('horizon');
    // A slot every 10 s: no machine is slow enough for one to pass between these calls.
    const every = 10_000;
    const rate = { max: 1, perMs: every };
    const asked = Date.now();
    const first = await pacer.take(account, rate, { horizonMs: every });
    const second = await pacer.take(account, rate, { horizonMs: every });
    const third = await pacer.take(account, rate, { horizonMs: every });
    const elapsed = Date.now() - asked;
    expect(first).toMatchObject({ granted: true, startsInMs: 0 });
    expect(second.granted).toBe(true);
    // The second slot begins one interval after the first, less the time the calls took.
    expect(second.startsInMs).toBeLessThanOrEqual(every);
    expect(second.startsInMs).toBeGreaterThan(every - elapsed - TOLERANCE_MS);
    // The third would begin two intervals on: beyond the horizon until the first has passed.
    expect(third.granted).toBe(false);
    expect(third.waitMs).toBeLessThanOrEqual(every);
    expect(third.waitMs).toBeGreaterThan(every - elapsed - TOLERANCE_MS);
  });

  it('grants several slots in one request, as many as begin within the horizon', async () => {
    const account = key('several');
    // A slot every 2 s: long beside the calls' own time, however busy the machine.
    const every = 2_000;
    const rate = { max: 1, perMs: every };
    const asked = Date.now();
    const first = await pacer.take(account, rate, { horizonMs: 2 * every, count: 5 });
    // Slots at 0, 1 and 2 intervals begin within the horizon: three of the five asked for.
    expect(first).toMatchObject({ granted: true, slots: 3, startsInMs: 0 });
    const second = await pacer.take(account, rate, { horizonMs: 2 * every, count: 2 });
    const elapsed = Date.now() - asked;
    // The next would begin at 3 intervals: beyond the horizon until one interval has passed.
    expect(second).toMatchObject({ granted: false, slots: 0 });
    expect(second.waitMs).toBeLessThanOrEqual(every);
    expect(second.waitMs).toBeGreaterThan(every - elapsed - TOLERANCE_MS);
    await new Promise((resolve) => setTimeout(resolve, second.waitMs + 5));
    const third = await pacer.take(account, rate, { horizonMs: 2 * every, count: 2 });
    expect(third.slots).toBe(1);
    // It begins 3 intervals after the first, whenever this asked.
    expect(third.startsInMs).toBeGreaterThan(3 * every - (Date.now() - asked) - TOLERANCE_MS);
    // A chat's request asks for one: never more.
    expect((await pacer.take(key('one'), rate)).slots).toBe(1);
  });

  it('counts slots in microseconds: 300 a second are 300 slots, not 250', async () => {
    const account = key('fine');
    const rate = { max: 300, perMs: 1000 };
    // Reserved back to back, the 300th slot begins 299 slots after the first: 299 × 3.3334 ms.
    const asked = Date.now();
    let last = 0;
    for (let i = 0; i < 300; i += 1) {
      const decision = await pacer.take(account, rate, { horizonMs: 2000 });
      expect(decision.granted).toBe(true);
      last = decision.startsInMs;
    }
    const elapsed = Date.now() - asked;
    const span = 299 * 3.3334;
    // `last` is counted from the last call, which came `elapsed` (or less) after the first.
    expect(last).toBeLessThanOrEqual(span + 0.01);
    expect(last + elapsed).toBeGreaterThanOrEqual(span - 1); // Date.now() counts whole ms
  });

  it('holds a key for as long as asked (a 429), never shortening a longer hold', async () => {
    const account = key('hold');
    const rate = { max: 100, perMs: 1000 };
    const heldAt = Date.now();
    await pacer.hold(account, 300);
    const asked = Date.now();
    const refused = await pacer.take(account, rate);
    expect(refused.granted).toBe(false);
    expect(refused.waitMs).toBeLessThanOrEqual(300);
    expect(refused.waitMs).toBeGreaterThan(300 - (Date.now() - asked) - TOLERANCE_MS);
    await pacer.hold(account, 50);
    const still = await pacer.take(account, rate);
    expect(still.granted).toBe(false);
    // The shorter hold left the longer one in place: what is left of it, however long this took.
    expect(still.waitMs).toBeGreaterThan(300 - (Date.now() - heldAt) - TOLERANCE_MS);
    await new Promise((resolve) => setTimeout(resolve, still.waitMs + 5));
    expect((await pacer.take(account, rate)).granted).toBe(true);
  });

  it('forgets cells that have long gone idle', async () => {
    const chat = key('idle');
    await pacer.take(chat, { max: 1, perMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    if (kind === 'redis') {
      expect(await pacer.prune(10)).toBe(0); // Redis keys expire by themselves.
    } else {
      expect(await pacer.prune(10)).toBeGreaterThanOrEqual(1);
      expect(await target.db.prisma.sendPace.count({ where: { key: chat } })).toBe(0);
    }
  });
});
