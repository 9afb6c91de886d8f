/**
 * Binding closed by the community-wide limit, told to the staff, on a real database: the wrong
 * code that makes 50 in 15 minutes (each origin counted up to 3) posts one alert to every staff
 * chat (why, until when in the community's time, what to do, how to lift it); later wrong codes
 * and refusals in that pause post nothing more; a closing after it has passed posts again; codes
 * racing at the limit post once; with no staff chat bound nothing is posted and residents are
 * told binding is paused.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionWithAfterCommit } from '../../../src/db/after-commit.js';
import { EventBus } from '../../../src/events/index.js';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { tryBindCode, type BindOutcome } from '../../../src/features/identity/bind-code.js';
import { createInviteCode } from '../../../src/features/identity/invite-codes.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { BindingClosedPosts } from '../../../src/inbox/binding-closed-posts.js';
import { BindingRequestPosts } from '../../../src/inbox/binding-request-posts.js';
import { createLogger } from '../../../src/log/logger.js';
import { ROOT } from '../../conversation/support/test-locales.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedAccount, seedHousehold } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';

const MINUTE = 60_000;
const WRONG = 'WXYZ-2345';
const operator = { kind: 'operator' } as const;
const translator = loadTranslator(join(ROOT, 'locales'));
// As the inbox listens in the app: the binding requests' posts and the closing alert.
const events = new EventBus();
const requestPosts = new BindingRequestPosts({ translator, textLimitOf: () => 4096 });
const closedPosts = new BindingClosedPosts({ translator, textLimitOf: () => 4096 });
events.on('binding_request.changed', (tx, change) => requestPosts.bindingRequestChanged(tx, change));
events.on('binding.closed', (tx, closed) => closedPosts.bindingClosed(tx, closed));

/** 14:00 in Shanghai (the community's default time zone). */
const T0 = new Date('2026-06-01T06:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

describe.each(databaseTargets())('binding closed by too many wrong codes, told to the staff, on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
  });
  afterAll(() => db?.close());

  async function community(staffChats: boolean): Promise<string> {
    const communityId = (await seedCommunity(prisma)).id;
    if (staffChats) {
      await prisma.boundChat.create({ data: { communityId, purpose: 'staff', channel: 'telegram', chatId: '-100555', isForum: false } });
      await prisma.boundChat.create({ data: { communityId, purpose: 'staff', channel: 'wechat', chatId: 'room-9@chatroom' } });
    }
    return communityId;
  }

  const tryCode = (communityId: string, chatAccountId: string, code: string, now: Date, extra: { log?: ReturnType<typeof createLogger> } = {}) =>
    prisma.$transaction((tx) => tryBindCode(tx, { communityId, chatAccountId, code, now, events, ...extra }));

  /** `count` wrong codes at `now`, three per fresh account (each its own origin: three is all an origin counts for). */
  async function wrongCodes(communityId: string, count: number, now: Date, extra: { log?: ReturnType<typeof createLogger> } = {}): Promise<BindOutcome[]> {
    const results: BindOutcome[] = [];
    let account = '';
    for (let i = 0; i < count; i++) {
      if (i % 3 === 0) account = await seedAccount(prisma, communityId);
      results.push(await tryCode(communityId, account, WRONG, now, extra));
    }
    return results;
  }

  /**
   * What `count` earlier wrong codes at `now` leave behind, three from each origin (all an origin
   * counts for): the counting itself is shown through the real path in bind-origins.test.ts.
   */
  const earlierWrongCodes = (communityId: string, count: number, now: Date) =>
    prisma.bindCodeMiss.createMany({
      data: Array.from({ length: count }, (_, i) => ({ communityId, origin: `account:earlier-${Math.floor(i / 3)}`, at: now })),
    });

  const personCode = async (communityId: string, name: string) => {
    const household = await seedHousehold(prisma, communityId, [{ name }]);
    return (await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, actor: operator, now: T0 })).code;
  };

  const staffPosts = async (communityId: string) =>
    (await prisma.outboxMessage.findMany({ where: { communityId }, orderBy: { seq: 'asc' } })).map((row) => ({
      channel: row.channel,
      chatId: row.chatId,
      text: (row.payload as { text: string }).text,
    }));

  const closings = (communityId: string) => prisma.auditLog.findMany({ where: { communityId, action: 'binding.closed' }, orderBy: { createdAt: 'asc' } });

  it('the 50th wrong code posts one alert to each staff chat: why, until when (community time), what to do', async () => {
    const communityId = await community(true);
    await earlierWrongCodes(communityId, 48, T0);
    await wrongCodes(communityId, 1, T0);
    expect(await staffPosts(communityId)).toEqual([]);

    await wrongCodes(communityId, 1, T0);
    const posts = await staffPosts(communityId);
    expect(posts.map((post) => [post.channel, post.chatId])).toEqual([
      ['telegram', '-100555'],
      ['wechat', 'room-9@chatroom'],
    ]);
    for (const { text } of posts) {
      expect(text).toContain('绑定已暂停到2026-06-01 14:15');
      expect(text).toContain('15分钟内全社区共输错50次绑定码，来自18个不同的账号或网络地址');
      expect(text).toContain('2026-06-01 14:15之后再发放绑定码');
      expect(text).toContain('请检查是否遭到攻击');
      expect(text).toContain('在本群发送 /resume_binding，或在办公室电脑上运行 npx linli binding resume');
    }
    const audit = await closings(communityId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ via: 'system', actorId: null, subjectType: 'community', subjectId: communityId });
    expect(audit[0]!.details).toEqual({ wrongCodes: 50, origins: 18, until: at(15).toISOString() });
  });

  it('in the same window more wrong codes and refused right codes post nothing more; after it, a new closing posts again', async () => {
    const communityId = await community(true);
    await earlierWrongCodes(communityId, 49, T0);
    await wrongCodes(communityId, 1, T0);
    expect(await staffPosts(communityId)).toHaveLength(2);

    // Paused for everyone to the pause's end: a wrong code and a right code alike, not looked at.
    const code = await personCode(communityId, '周一');
    const newcomer = await seedAccount(prisma, communityId);
    expect(await tryCode(communityId, newcomer, WRONG, at(1))).toEqual({ status: 'paused', until: at(15) });
    expect(await tryCode(communityId, await seedAccount(prisma, communityId), WRONG, at(7))).toEqual({ status: 'paused', until: at(15) });
    expect(await tryCode(communityId, newcomer, code, at(10))).toEqual({ status: 'paused', until: at(15) });
    const lastMoment = new Date(at(15).getTime() - 1);
    expect(await tryCode(communityId, newcomer, code, lastMoment)).toEqual({ status: 'paused', until: at(15) });
    expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: newcomer } })).bindFailures).toBe(0);
    expect(await staffPosts(communityId)).toHaveLength(2);
    expect(await closings(communityId)).toHaveLength(1);

    // The window has passed: binding is open again, and a new closing is a new alert.
    expect((await tryCode(communityId, newcomer, code, at(15))).status).toBe('bound');
    await earlierWrongCodes(communityId, 48, at(20));
    await wrongCodes(communityId, 1, at(20));
    expect(await staffPosts(communityId)).toHaveLength(2);
    await wrongCodes(communityId, 1, at(20));
    const posts = await staffPosts(communityId);
    expect(posts).toHaveLength(4);
    expect(posts[2]!.text).toContain('绑定已暂停到2026-06-01 14:35');
    expect(posts[3]!.text).toContain('绑定已暂停到2026-06-01 14:35');
    expect((await closings(communityId)).map((row) => row.details)).toEqual([
      { wrongCodes: 50, origins: 18, until: at(15).toISOString() },
      { wrongCodes: 50, origins: 18, until: at(35).toISOString() },
    ]);
  });

  it('binding found closed without its alert (codes counted at the same moment): the first refusal posts it, once', async () => {
    const communityId = await community(true);
    // 51 wrong codes on record from 17 origins, none of which saw the total (as when they race at the limit).
    await prisma.bindCodeMiss.createMany({
      data: Array.from({ length: 51 }, (_, i) => ({ communityId, origin: `account:racer-${i % 17}`, at: T0 })),
    });
    const visitor = await seedAccount(prisma, communityId);
    expect(await tryCode(communityId, visitor, WRONG, at(2))).toEqual({ status: 'paused', until: at(17) });
    expect(await tryCode(communityId, visitor, WRONG, at(3))).toEqual({ status: 'paused', until: at(17) });
    const posts = await staffPosts(communityId);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.text).toContain('绑定已暂停到2026-06-01 14:17');
  });

  it('wrong codes and refusals racing at the limit: one alert', async () => {
    const communityId = await community(true);
    await earlierWrongCodes(communityId, 45, T0);
    const racers = await Promise.all(Array.from({ length: 12 }, () => seedAccount(prisma, communityId)));
    const results = await Promise.all(racers.map((racer) => tryCode(communityId, racer, WRONG, T0)));
    expect(results.every((result) => result.status === 'invalid' || result.status === 'paused')).toBe(true);
    // Had every racer counted the others as not there yet, the next refusal posts it; either way once.
    expect((await tryCode(communityId, await seedAccount(prisma, communityId), WRONG, at(1))).status).toBe('paused');
    expect(await staffPosts(communityId)).toHaveLength(2);
    expect(await closings(communityId)).toHaveLength(1);
  });

  it('no staff chat bound: nothing is posted, the closing is recorded, residents are told binding is paused', async () => {
    const communityId = await community(false);
    await earlierWrongCodes(communityId, 47, T0);
    const results = await wrongCodes(communityId, 3, T0);
    // The wrong code that pauses binding (the 50th) was wrong all the same, and is said so.
    expect(results).toEqual([4, 3, 2].map((triesLeft) => ({ status: 'invalid', triesLeft })));
    const code = await personCode(communityId, '吴二');
    const newcomer = await seedAccount(prisma, communityId);
    expect(await tryCode(communityId, newcomer, code, at(1))).toEqual({ status: 'paused', until: at(15) });
    expect((await prisma.inviteCode.findFirstOrThrow({ where: { communityId, usedAt: null } })).usedAt).toBeNull();
    expect(await prisma.outboxMessage.count({ where: { communityId } })).toBe(0);
    expect(await closings(communityId)).toHaveLength(1);
    expect((await tryCode(communityId, newcomer, code, at(15))).status).toBe('bound');
  });

  it('the alert goes out right after the commit, and the closing is logged with ids and counts only', async () => {
    const communityId = await community(true);
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    await earlierWrongCodes(communityId, 48, T0);
    await wrongCodes(communityId, 1, T0, { log });
    const last = await seedAccount(prisma, communityId);
    const committed = await transactionWithAfterCommit(prisma, (tx) =>
      tryBindCode(tx, { communityId, chatAccountId: last, code: WRONG, now: T0, events, log }),
    );
    expect(committed.value).toEqual({ status: 'invalid', triesLeft: 4 });
    expect(committed.rows.map((row) => row.channel)).toEqual(['telegram', 'wechat']);
    expect(lines).toEqual([]);
    for (const task of committed.tasks) await task();
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    const [audit] = await closings(communityId);
    expect(entry).toMatchObject({ level: 40, communityId, auditId: audit!.id, wrongCodes: 50, origins: 18, closedMinutes: 15, msg: 'binding closed community-wide: too many wrong codes' });
    expect(Object.keys(entry).sort()).toEqual(['auditId', 'closedMinutes', 'communityId', 'level', 'msg', 'origins', 'service', 'time', 'wrongCodes'].sort());

    // A refusal later in the window logs nothing more.
    await tryCode(communityId, await seedAccount(prisma, communityId), WRONG, at(5), { log });
    expect(lines).toHaveLength(1);
  });

  it('the alert reads in English in an English-speaking community', async () => {
    const communityId = await community(true);
    await prisma.community.update({ where: { id: communityId }, data: { defaultLocale: 'en', timezone: 'Europe/Berlin' } });
    await earlierWrongCodes(communityId, 49, T0);
    await wrongCodes(communityId, 1, T0);
    const [post] = await staffPosts(communityId);
    expect(post!.text).toContain('binding is closed until 2026-06-01 08:15');
    expect(post!.text).toContain('50 wrong binding codes were typed in the community within 15 minutes');
    expect(post!.text).toContain('hand out codes again after 2026-06-01 08:15');
  });
});
