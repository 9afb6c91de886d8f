/**
 * A staff reply in the staff chats, on a real database: the chat it was written in shows the
 * staff member's own message and gets no line; every other staff chat (the other channel's, and
 * all of them for a reply from the web console) gets one line with who answered and the words,
 * or how many photos. A reply that says nowhere where it was written gets no line anywhere, as
 * before.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../src/db/prisma-types.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { cardButton } from '../../src/inbox/card-buttons.js';
import { InboxObserver } from '../../src/inbox/inbox-observer.js';
import { STAFF_CONSOLE, type StaffActionPlace } from '../../src/inbox/staff-actions.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { BUTTONLESS, recordingButtons, TELEGRAM_LIKE } from '../support/buttons.js';
import { act, file, seedInboxWorld, type InboxWorld } from '../staff-web/inbox/support.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));
const buttons = recordingButtons();
buttons.record(cardButton);
const observer = new InboxObserver({
  translator,
  buttons: buttons.registry,
  textLimitOf: () => 4096,
  capabilitiesOf: (channel) => (channel === 'telegram' ? TELEGRAM_LIKE : BUTTONLESS),
});

const TELEGRAM_GROUP = '-100555';
const WECHAT_ROOM = 'staff-room@chatroom';

describe.each(databaseTargets())('a staff reply in the staff chats on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let w: InboxWorld;
  let ticket: { ticketId: string; number: string };

  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    w = await seedInboxWorld(prisma);
    w.deps.events.on('ticket.changed', (tx, change) => observer.ticketChanged(tx, change));
    await prisma.boundChat.create({ data: { communityId: w.communityId, purpose: 'staff', channel: 'telegram', chatId: TELEGRAM_GROUP, isForum: false } });
    await prisma.boundChat.create({ data: { communityId: w.communityId, purpose: 'staff', channel: 'wechat', chatId: WECHAT_ROOM } });
    ticket = await file(prisma, w, w.residents.zhang, { description: '楼道灯坏了三天了', at: w.now });
  });
  afterAll(() => db?.close());

  /** The texts written to a staff chat after `since` (outbox rows, in order). */
  async function linesIn(chatId: string, since: bigint): Promise<string[]> {
    const rows = await prisma.outboxMessage.findMany({ where: { communityId: w.communityId, chatId, seq: { gt: since } }, orderBy: { seq: 'asc' } });
    return rows.map((row) => (row.payload as { text?: string }).text ?? '');
  }
  async function lastSeq(): Promise<bigint> {
    const last = await prisma.outboxMessage.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
    return last?.seq ?? 0n;
  }
  async function reply(text: string, actedIn: StaffActionPlace | undefined, photos?: string[]) {
    const since = await lastSeq();
    await act(prisma, w, w.residents.committee, ticket.ticketId, 'reply', w.now, { text, ...(actedIn ? { actedIn } : {}), ...(photos ? { photos } : {}) });
    return { telegram: await linesIn(TELEGRAM_GROUP, since), wechat: await linesIn(WECHAT_ROOM, since) };
  }

  it('shows a reply written in the Telegram group as a line in the WeChat room only', async () => {
    const seen = await reply('明天上午派人来修。', 'telegram');
    expect(seen.telegram).toEqual([]);
    expect(seen.wechat).toHaveLength(1);
    expect(seen.wechat[0]).toContain(`${ticket.number}：周主任回复居民：明天上午派人来修。`);
  });

  it('shows a reply from the web console in every staff chat', async () => {
    const seen = await reply('师傅下午两点到。', STAFF_CONSOLE);
    expect(seen.telegram).toHaveLength(1);
    expect(seen.telegram[0]).toContain('周主任回复居民：师傅下午两点到。');
    expect(seen.wechat).toHaveLength(1);
    expect(seen.wechat[0]).toContain('周主任回复居民：师傅下午两点到。');
  });

  it('counts the photos of a reply from the WeChat room, with or without words', async () => {
    const bare = await reply('', 'wechat', ['photo-ref-1', 'photo-ref-2']);
    expect(bare.wechat).toEqual([]);
    expect(bare.telegram).toEqual([`💬 ${ticket.number}：周主任给居民发了2张照片。`]);
    const captioned = await reply('这是排班表', 'wechat', ['photo-ref-3']);
    expect(captioned.telegram).toEqual([`💬 ${ticket.number}：周主任回复居民（附1张照片）：这是排班表`]);
  });

  it('writes no line for a reply that says nowhere where it was written', async () => {
    const seen = await reply('旧的写法', undefined);
    expect(seen).toEqual({ telegram: [], wechat: [] });
  });

  it('keeps where it was done with the event and in the audit row', async () => {
    const event = await prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.ticketId, kind: 'staff_reply', text: '师傅下午两点到。' } });
    expect(event.details).toMatchObject({ actedIn: STAFF_CONSOLE });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { subjectId: ticket.ticketId, action: 'ticket.reply', details: { path: ['eventId'], equals: event.id } } });
    expect(audit.details).toMatchObject({ actedIn: STAFF_CONSOLE });
  });
});
