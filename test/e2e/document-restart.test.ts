/**
 * A document waiting in the outbox when the process stops goes out after the restart, whole and
 * under its name: the row holds the file's reference (never the bytes), and the file stays in
 * DATA_DIR. The first process writes a meeting-style notice with its file and stops before any
 * worker sends it; the second, on the same database and data folder, sends it by its start-up
 * sweep to Telegram (the fake Bot API records the upload) and to the web chat (the download).
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDocument } from '../../src/channels/media/document-files.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { bindAccount } from '../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { sampleDocx } from '../support/documents.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseTargets())('a pending document across a restart on %s', (target) => {
  let db: TestDatabase;
  let telegram: FakeTelegramBotApi;
  let second: TestApp | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-restart-files-'));

  beforeAll(async () => {
    db = await createTestDatabase(target);
    telegram = await FakeTelegramBotApi.start({ rateLimits: false });
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await telegram?.close();
  });

  it('sends the stored file after the restart, to Telegram and the web chat', async () => {
    const env = { DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot };
    // The first process writes, and stops before anything is sent (no workers: as if it died after the commit).
    const first = await startTestApp(target, { ...env, RUN_WORKERS: 'false' }, db);
    const prisma = first.app.database.prisma;
    const communityId = first.app.communityId;
    const resident = await prisma.resident.create({ data: { communityId, name: '张秀兰' } });
    const user = telegram.createUser({ language_code: 'zh-hans' });
    const telegramAccount = await bindAccount(prisma, communityId, 'telegram', String(user.id), resident.id);
    const web = new WebPerson(first.app);
    const webAccount = await bindAccount(prisma, communityId, 'web', web.sessionId, resident.id);
    const docx = sampleDocx('会议议程');
    const ref = await storeDocument(dataDir, docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    await prisma.$transaction(async (tx) => {
      for (const chatAccountId of [telegramAccount, webAccount]) {
        await first.app.notifier.write(tx, { chatAccountId, key: 'meetings.invite.cancelled', vars: { title: '居民会议', number: 'HY-2026-00009', when: '5月6日', reason: '' }, document: { ref, name: '会议议程.docx', bytes: docx.length } });
      }
    });
    expect(await prisma.outboxMessage.count({ where: { status: 'pending' } })).toBe(2);
    await first.close({ keepDatabase: true });
    expect(telegram.sentTo(user.id)).toEqual([]);

    second = await startTestApp(target, env, db);
    const sent = await waitFor(() => telegram.sentTo(user.id).find((m) => m.method === 'sendDocument'), 'the document on Telegram after the restart');
    expect(sent.document).toMatchObject({ name: '会议议程.docx', bytes: docx.length });
    expect(sent.document!.content).toEqual(docx);
    expect(sent.caption).toContain('HY-2026-00009');
    const stored = await waitFor(() => second!.app.database.prisma.webChatMessage.findFirst({ where: { sessionId: web.sessionId, direction: 'out' } }), 'the file in the web chat after the restart');
    const document = (stored.payload as { document?: { ref: string; name: string } }).document!;
    expect(document.name).toBe('会议议程.docx');
    expect(await readFile(join(dataDir, document.ref))).toEqual(docx);
    // Each went once.
    expect(telegram.sentTo(user.id).filter((m) => m.method === 'sendDocument')).toHaveLength(1);
  });
});
