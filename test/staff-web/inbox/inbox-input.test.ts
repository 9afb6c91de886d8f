/**
 * The inbox on the whole app, against what a browser can send: text that cannot be stored (a
 * NUL) in a search, a filter or a form gets words or is ignored, never a 500; and a ticket's form
 * carries the ticket's version, so the same reply posted twice (a double click) reaches the
 * resident once, and a form from a page that has gone stale is refused with "changed meanwhile".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { fileTicket } from '../../../src/features/tickets/service/index.js';
import type { OutboundMessage } from '../../../src/channels/types.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { testDeps } from '../../features/tickets/service/support.js';
import { loadPeopleInto, NOW, type PeopleCommunity } from '../people/fixture.js';
import { wordsOf } from './support.js';

const t = wordsOf('zh-CN');

describe.each(databaseTargets())('the inbox’s input (%s)', (target) => {
  let test: TestApp;
  let c: PeopleCommunity;
  let prisma: PrismaClient;
  let addresses = 0;
  /** 张三丰's web chat, bound: where replies to his tickets go. */
  let residentChat: string;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    prisma = test.app.database.prisma;
    c = await loadPeopleInto(prisma, test.app.communityId);
    residentChat = (
      await prisma.chatAccount.create({
        data: { communityId: c.communityId, channel: 'web', externalId: 'web-zhang', locale: 'zh-CN', residentId: c.people['张三丰']!, boundAt: NOW },
      })
    ).id;
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  async function signedIn(name: string): Promise<StaffBrowser> {
    addresses += 1;
    const browser = new StaffBrowser(test.app, `198.51.100.${addresses}`);
    await browser.signIn(name, c.people[name]!);
    return browser;
  }

  async function fileOne(description: string): Promise<string> {
    const actor = await c.actorOf('张三丰');
    const filed = await prisma.$transaction((tx) =>
      fileTicket(tx, testDeps(NOW), { communityId: c.communityId, actor, kind: 'complaint', category: 'other', description, filerAnsweredInChat: true, at: NOW }),
    );
    return filed.number;
  }

  /** The ticket's version as the page's forms carry it. */
  const versionOn = (page: string): string => {
    const version = /name="version" value="(\d+)"/.exec(page)?.[1];
    if (!version) throw new Error('no version on the page');
    return version;
  };

  const repliesSaying = async (words: string) =>
    (await prisma.outboxMessage.findMany({ where: { chatAccountId: residentChat } })).filter((row) => (row.payload as unknown as OutboundMessage).text.includes(words)).length;

  describe('text that cannot be stored', () => {
    it('is ignored in the list’s search and filters', async () => {
      const steward = await signedIn('孙片长');
      for (const query of ['q=%00', 'area=%00', 'category=%00', 'q=a%00b&area=x%00&category=%00y']) {
        const page = await steward.get(`/staff?${query}`);
        expect(page.status, query).toBe(200);
        expect(page.body).toContain(t('staffweb.inbox.title'));
      }
    });

    it('in a form is refused with words, and nothing is done', async () => {
      const number = await fileOne('楼道灯不亮');
      const steward = await signedIn('孙片长');
      const page = await steward.get(`/staff/tickets/${number}`);
      const version = versionOn(page.body);
      for (const [action, fields] of [
        ['reply', { text: '好的\u0000' }],
        ['assign', { assigneeId: `${c.people['孙片长']}\u0000` }],
        ['merge', { into: '1\u0000' }],
      ] as const) {
        const refused = await steward.post(`/staff/tickets/${number}/actions/${action}`, { ...fields, version });
        expect(refused.status, action).toBe(400);
        expect(refused.body).toContain(t('staffweb.errors.bad_form'));
      }
      expect((await prisma.ticket.findFirstOrThrow({ where: { number } })).version).toBe(Number(version));
    });
  });

  describe('a form posted twice', () => {
    it('replies to the resident once; the second post hears the ticket changed meanwhile', async () => {
      const number = await fileOne('垃圾没人清运');
      const steward = await signedIn('孙片长');
      const version = versionOn((await steward.get(`/staff/tickets/${number}`)).body);
      const form = { text: '明天上午安排清运', version };
      const first = await steward.post(`/staff/tickets/${number}/actions/reply`, form);
      expect(first.status).toBe(303);
      const second = await steward.post(`/staff/tickets/${number}/actions/reply`, form);
      expect(second.status).toBe(409);
      expect(second.body).toContain(t('staffweb.inbox.outcome.changed_meanwhile'));
      expect(await repliesSaying('明天上午安排清运')).toBe(1);
      expect(await prisma.ticketEvent.count({ where: { ticket: { number }, text: '明天上午安排清运' } })).toBe(1);

      // The page read again carries the new version, and acts.
      const fresh = versionOn((await steward.get(`/staff/tickets/${number}`)).body);
      expect(Number(fresh)).toBe(Number(version) + 1);
      expect((await steward.post(`/staff/tickets/${number}/actions/reply`, { text: '已联系保洁', version: fresh })).status).toBe(303);
      expect(await prisma.ticketEvent.count({ where: { ticket: { number }, text: '已联系保洁' } })).toBe(1);
    });

    it('refuses a second staff member acting from a page read before the first acted', async () => {
      const number = await fileOne('电梯异响');
      const steward = await signedIn('孙片长');
      const admin = await signedIn('赵管理');
      const seenBySteward = versionOn((await steward.get(`/staff/tickets/${number}`)).body);
      const seenByAdmin = versionOn((await admin.get(`/staff/tickets/${number}`)).body);
      expect((await steward.post(`/staff/tickets/${number}/actions/claim`, { version: seenBySteward })).status).toBe(303);
      const stale = await admin.post(`/staff/tickets/${number}/actions/resolve`, { text: '已处理', version: seenByAdmin });
      expect(stale.status).toBe(409);
      expect((await prisma.ticket.findFirstOrThrow({ where: { number } })).status).not.toBe('resolved');
      // Nothing typed is lost: the refused words are back in their box, under the new version.
      expect(stale.body).toMatch(/<textarea id="inbox-resolve-text"[^>]*>已处理<\/textarea>/);
      const fresh = versionOn(stale.body);
      expect((await admin.post(`/staff/tickets/${number}/actions/resolve`, { text: '已处理', version: fresh })).status).toBe(303);
    });
  });
});
