/**
 * The router's plain statements: a message recorded once per (channel, external id), its end
 * recorded with its account, an account found with the same instants Prisma reads. Real
 * database on every configured backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRunnerFor } from '../../src/db/sql.js';
import { findAccount, finishInbound, recordInbound } from '../../src/conversation/inbound-records.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

describe.each(databaseTargets())('inbound records on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await db.prisma.community.create({ data: { slug: 'c', name: 'C' } })).id;
  });
  afterAll(() => db?.close());

  it('records a message once: a re-delivery of the same external id gets no id', async () => {
    const sql = sqlRunnerFor(db.prisma);
    const receivedAt = new Date('2026-01-02T03:04:05.678Z');
    const fields = { communityId, channel: 'telegram', externalId: 'u-1', kind: 'text', receivedAt };
    const id = await recordInbound(sql, fields);
    expect(id).toBeTypeOf('string');
    expect(await recordInbound(sql, fields)).toBeUndefined();
    // The same external id on another channel is another message.
    expect(await recordInbound(sql, { ...fields, channel: 'web' })).toBeTypeOf('string');

    const row = await db.prisma.inboundMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ communityId, channel: 'telegram', externalId: 'u-1', kind: 'text', status: 'received', handledAt: null });
    expect(row.receivedAt.toISOString()).toBe(receivedAt.toISOString());

    const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'telegram', externalId: 'p-1' } });
    const before = Date.now();
    await finishInbound(sql, id!, 'failed', account.id);
    const finished = await db.prisma.inboundMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(finished).toMatchObject({ status: 'failed', chatAccountId: account.id });
    expect(Math.abs(finished.handledAt!.getTime() - before)).toBeLessThan(60_000);
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
});
