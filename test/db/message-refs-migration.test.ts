/**
 * The message_refs migration on a database with rows written before it: the `inbox` and
 * `request` tags in outbox payloads and the `ticketId` column become message refs (so a staff
 * reply to an old card, prompt or request post still finds its subject), each staff thread
 * learns its forum flag and topic name from its latest tagged row, and the payloads keep the
 * message only.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.js';
import { pgliteMigrationAdapter, postgresMigrationAdapter } from '../../src/db/migration-adapters.js';
import { lockfileContent } from '../../src/db/migrations-folder.js';
import { defaultMigrationsDir } from '../../src/db/paths.js';
import { refsOfPlatformMessage } from '../../src/outbox/message-refs.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

const MIGRATION = '20261207031335_message_refs';
const CHAT = '-100555';

describe.each(databaseTargets())('the message_refs migration on %s', (target) => {
  let db: TestDatabase;
  let dir: string;
  let ticketId: string;
  let requestId: string;
  let accountId: string;

  const factory = () => (db.pglite ? pgliteMigrationAdapter(db.pglite) : postgresMigrationAdapter(db.postgres!));

  /** An outbox row as the code before the migration wrote it. */
  const oldRow = (id: string, payload: unknown, extra: { ticketId?: string; chatId?: string; chatAccountId?: string; sentAs?: string } = {}) =>
    db.prisma.$executeRawUnsafe(
      `INSERT INTO "OutboxMessage" ("id", "communityId", "channel", "chatId", "chatAccountId", "payload", "ticketId", "status", "externalMessageId")
       SELECT $1, id, 'telegram', $2, $3, $4::jsonb, $5, $6, $7 FROM "Community" WHERE slug = 'old-rows'`,
      id,
      extra.chatId ?? CHAT,
      extra.chatAccountId ?? null,
      JSON.stringify(payload),
      extra.ticketId ?? null,
      extra.sentAs ? 'sent' : 'pending',
      extra.sentAs ?? null,
    );

  beforeAll(async () => {
    db = await createTestDatabase(target, { migrate: false });
    dir = await mkdtemp(join(tmpdir(), 'linli-message-refs-'));
    await writeFile(join(dir, 'migration_lock.toml'), lockfileContent);
    const folders = (await readdir(defaultMigrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(folders).toContain(MIGRATION);
    for (const folder of folders.slice(0, folders.indexOf(MIGRATION))) await cp(join(defaultMigrationsDir, folder), join(dir, folder), { recursive: true });
    await applyMigrations(factory(), { migrationsDir: dir });

    // The models the migration leaves alone are written with the client; the rest as they were
    // (the community too: later migrations add columns the client would write).
    const communityId = 'old-rows-community';
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Community" ("id", "slug", "name") VALUES ($1, 'old-rows', '旧数据社区')`, communityId);
    const ticket = await db.prisma.ticket.create({
      data: { communityId, number: 'MQ-2026-00001', year: 2026, seq: 1, kind: 'complaint', category: 'other', description: '路灯不亮', firstResponseDueAt: new Date() },
    });
    ticketId = ticket.id;
    accountId = (await db.prisma.chatAccount.create({ data: { communityId, channel: 'telegram', externalId: '42' } })).id;
    requestId = (await db.prisma.bindingRequest.create({ data: { communityId, number: 7, chatAccountId: accountId, name: '孙七', address: '团结巷', phone: '13955556666' } })).id;
    await db.prisma.$executeRawUnsafe(`INSERT INTO "StaffThread" ("id", "ticketId", "channel", "chatId", "topicId") VALUES ('thread-1', $1, 'telegram', $2, '900')`, ticketId, CHAT);

    const tag = (part: string, more: Record<string, unknown> = {}) => ({ ticketId, part, forum: true, topicName: 'MQ-2026-00001 路灯', ...more });
    await oldRow('card', { text: '卡片', choices: [{ label: '认领', data: 'i|c|x|t' }], inbox: tag('card') }, { ticketId, sentAs: '101' });
    await oldRow('prompt', { text: '请写下内部备注', forceReply: true, inbox: tag('prompt', { prompt: 'note' }) }, { ticketId, sentAs: '102' });
    await oldRow('close', { text: '', inbox: tag('topic', { topicOpen: false }) }, { ticketId });
    await oldRow('alert', { text: '首次响应超时' }, { ticketId });
    await oldRow('notice', { text: '您的事项有了回复' }, { ticketId, chatId: '42', chatAccountId: accountId });
    await oldRow('post', { text: '绑定申请7', request: { number: 7, part: 'post' } }, { sentAs: '103' });
    await oldRow('answer', { text: '请写明事项编号' }, { sentAs: '104' });

    await cp(join(defaultMigrationsDir, MIGRATION), join(dir, MIGRATION), { recursive: true });
    expect(await applyMigrations(factory(), { migrationsDir: dir })).toEqual([MIGRATION]);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('turns every tag and ticket column into a ref', async () => {
    const refs = await db.prisma.messageRef.findMany({ orderBy: { outboxId: 'asc' }, select: { outboxId: true, subjectKind: true, subjectId: true, role: true, action: true } });
    expect(refs).toEqual([
      { outboxId: 'alert', subjectKind: 'ticket', subjectId: ticketId, role: 'alert', action: null },
      { outboxId: 'card', subjectKind: 'ticket', subjectId: ticketId, role: 'card', action: null },
      { outboxId: 'close', subjectKind: 'ticket', subjectId: ticketId, role: 'topic', action: 'close' },
      { outboxId: 'notice', subjectKind: 'ticket', subjectId: ticketId, role: 'notice', action: null },
      { outboxId: 'post', subjectKind: 'binding_request', subjectId: requestId, role: 'post', action: null },
      { outboxId: 'prompt', subjectKind: 'ticket', subjectId: ticketId, role: 'prompt', action: 'note' },
    ]);
  });

  it('leaves the message alone in every payload', async () => {
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' }, select: { id: true, payload: true } });
    expect(Object.fromEntries(rows.map((row) => [row.id, row.payload]))).toEqual({
      alert: { text: '首次响应超时' },
      answer: { text: '请写明事项编号' },
      card: { text: '卡片', choices: [{ label: '认领', data: 'i|c|x|t' }] },
      close: { text: '' },
      notice: { text: '您的事项有了回复' },
      post: { text: '绑定申请7' },
      prompt: { text: '请写下内部备注', forceReply: true },
    });
  });

  it('gives the thread its forum flag and topic name, keeping its topic', async () => {
    expect(await db.prisma.staffThread.findUniqueOrThrow({ where: { id: 'thread-1' } })).toMatchObject({ forum: true, topicName: 'MQ-2026-00001 路灯', topicId: '900' });
  });

  it('finds what an old message is about from its platform id, as a staff reply to it would', async () => {
    const about = (externalMessageId: string) => refsOfPlatformMessage(db.prisma, { channel: 'telegram', chatId: CHAT, externalMessageId });
    expect(await about('102')).toMatchObject([{ subjectKind: 'ticket', subjectId: ticketId, role: 'prompt', action: 'note' }]);
    expect(await about('103')).toMatchObject([{ subjectKind: 'binding_request', subjectId: requestId, role: 'post' }]);
    expect(await about('104')).toEqual([]);
  });
});
