/**
 * The router's plain statements: a message recorded and claimed once per (channel, external id),
 * taken up again by a re-delivery or the sweep once its claim ran out, its end recorded with its
 * account, an account found with the same instants Prisma reads. Real
 * database on every configured backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRunnerFor } from '../../src/db/sql.js';
import type { InboundMessage } from '../../src/channels/types.js';
import { claimStranded, findAccount, finishInbound, recordInbound } from '../../src/conversation/inbound-records.js';
import { SELECT_CONVERSATION_SQL } from '../../src/conversation/turn-sql.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';

describe.each(databaseTargets())('inbound records on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma)).id;
  });
  afterAll(() => db?.close());

  const claimFor = (seconds: number, from = Date.now()) => ({ now: new Date(from), until: new Date(from + seconds * 1000) });
  const message = (externalId: string, receivedAt: Date): InboundMessage => ({
    channel: 'telegram',
    externalId,
    senderId: 'p-1',
    chatId: 'p-1',
    kind: 'text',
    text: '你好',
    receivedAt,
  });

  it('records a message once: a re-delivery while it is handled or after it ended gets nothing', async () => {
    const sql = sqlRunnerFor(db.prisma);
    const receivedAt = new Date('2026-01-02T03:04:05.678Z');
    const fields = { communityId, channel: 'telegram', externalId: 'u-1', kind: 'text', receivedAt };
    const claimed = await recordInbound(sql, fields, message('u-1', receivedAt), claimFor(20));
    expect(claimed).toEqual({ id: expect.any(String), takenUp: false });
    const id = claimed!.id;
    // Its process is alive and working on it: a re-delivery is a duplicate.
    expect(await recordInbound(sql, fields, message('u-1', receivedAt), claimFor(20))).toBeUndefined();
    // The same external id on another channel is another message.
    expect(await recordInbound(sql, { ...fields, channel: 'web' }, message('u-1', receivedAt), claimFor(20))).toMatchObject({ takenUp: false });

    const row = await db.prisma.inboundMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ communityId, channel: 'telegram', externalId: 'u-1', kind: 'text', status: 'received', handledAt: null });
    expect(row.receivedAt.toISOString()).toBe(receivedAt.toISOString());
    expect(row.payload).toMatchObject({ externalId: 'u-1', text: '你好' });

    const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'telegram', externalId: 'p-1' } });
    const before = new Date(Date.now() - 1000);
    expect(await finishInbound(sql, id, 'failed', account.id)).toBe(true);
    expect(await finishInbound(sql, id, 'handled', account.id)).toBe(false);
    const finished = await db.prisma.inboundMessage.findUniqueOrThrow({ where: { id } });
    // Ended: the message text is not kept.
    expect(finished).toMatchObject({ status: 'failed', chatAccountId: account.id, payload: null, claimedUntil: null });
    expect(finished.handledAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    // Ended, claim or not: a re-delivery is a duplicate.
    expect(await recordInbound(sql, fields, message('u-1', receivedAt), claimFor(20, Date.now() + 3_600_000))).toBeUndefined();
  });

  it('lets a re-delivery take up a message whose claim ran out (its process died)', async () => {
    const sql = sqlRunnerFor(db.prisma);
    const receivedAt = new Date();
    const fields = { communityId, channel: 'telegram', externalId: 'u-2', kind: 'text', receivedAt };
    const first = await recordInbound(sql, fields, message('u-2', receivedAt), claimFor(20, Date.now() - 60_000));
    const again = await recordInbound(sql, fields, message('u-2', receivedAt), claimFor(20));
    expect(again).toEqual({ id: first!.id, takenUp: true });
    // Now claimed afresh: one more re-delivery is a duplicate.
    expect(await recordInbound(sql, fields, message('u-2', receivedAt), claimFor(20))).toBeUndefined();
  });

  it('sweeps stranded messages oldest first, skipping live claims, held ones and ended ones', async () => {
    const sql = sqlRunnerFor(db.prisma);
    const sweepCommunity = (await seedCommunity(db.prisma)).id;
    const base = Date.now() - 120_000;
    const record = async (externalId: string, offsetMs: number, claimSeconds: number) => {
      const receivedAt = new Date(base + offsetMs);
      const fields = { communityId: sweepCommunity, channel: 'telegram', externalId, kind: 'text', receivedAt };
      return (await recordInbound(sql, fields, message(externalId, receivedAt), claimFor(claimSeconds, base + offsetMs)))!.id;
    };
    const later = await record('s-later', 2_000, 1);
    const earlier = await record('s-earlier', 1_000, 1);
    const held = await record('s-held', 500, 1);
    const live = await record('s-live', 3_000, 3_600);
    const ended = await record('s-ended', 0, 1);
    await finishInbound(sql, ended, 'handled', null);

    const swept = await claimStranded(sql, sweepCommunity, claimFor(20), { limit: 10, ignoreClaims: false, held: [held] });
    expect(swept.map((s) => s.id)).toEqual([earlier, later]);
    expect(swept[0]!.message).toMatchObject({ externalId: 's-earlier', chatId: 'p-1', text: '你好', receivedAt: new Date(base + 1_000) });
    // Claimed by this sweep now: a second sweep finds only what it may ignore claims of.
    expect(await claimStranded(sql, sweepCommunity, claimFor(20), { limit: 10, ignoreClaims: false, held: [held] })).toEqual([]);
    const sole = await claimStranded(sql, sweepCommunity, claimFor(20), { limit: 10, ignoreClaims: true, held: [held, earlier, later] });
    expect(sole.map((s) => s.id)).toEqual([live]);
  });

  it('finds an account with the instant Prisma reads, and nothing for a stranger', async () => {
    const sql = sqlRunnerFor(db.prisma);
    const lastSeenAt = new Date('2025-12-31T23:59:59.123Z');
    const created = await db.prisma.chatAccount.create({
      data: { communityId, channel: 'web', externalId: 'p-2', locale: 'en', lastSeenAt },
    });
    const found = await findAccount(sql, { communityId, channel: 'web', externalId: 'p-2' });
    expect(found).toEqual({ id: created.id, locale: 'en', residentId: null, lastSeenAt });
    expect(await findAccount(sql, { communityId, channel: 'web', externalId: 'nobody' })).toBeUndefined();
  });

  it('finds an account with its conversation in the chat asked about, in one read, as the turn reads it, and none where it has not talked', async () => {
    const sql = sqlRunnerFor(db.prisma);
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'web', externalId: 'p-3' } });
    await db.prisma.conversation.create({
      data: {
        communityId,
        chatAccountId: account.id,
        channel: 'web',
        chatId: 'p-3',
        flowId: 'main_menu',
        stepId: 'menu',
        data: { name: '王', rooms: 3 },
        history: ['menu'],
        wrongAnswers: 1,
        numberedAt: new Date('2026-01-02T03:04:05.678Z'),
      },
    });
    const key = { communityId, channel: 'web', externalId: 'p-3' };
    const found = await findAccount(sql, key, 'p-3');
    expect(found?.id).toBe(account.id);
    const [asTheTurnReadsIt] = await sql.query(SELECT_CONVERSATION_SQL, ['web', 'p-3', account.id]);
    expect(found?.conversation).toEqual(asTheTurnReadsIt);
    expect(found?.conversation).toMatchObject({ data: { name: '王', rooms: 3 }, numberedAtMs: Date.parse('2026-01-02T03:04:05.678Z'), version: 0 });
    expect((await findAccount(sql, key, 'a-group'))?.conversation).toBeNull();
    expect(await findAccount(sql, key)).not.toHaveProperty('conversation');
  });
});
