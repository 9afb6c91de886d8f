/**
 * The roster and people pages on the whole app: the roster search and a household's page scoped
 * to the viewer's areas; a household's binding code made on the page, shown once, binds a member
 * in the web chat; a full phone number shown to the area's staff only, audited; staff and their
 * terms for admins — a role given with its code shown once, a last day moved, and the last
 * admin's term never ended. A steward of another area, a form without its CSRF field and bad
 * input change nothing and get a 4xx with words, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { button, startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { loadPeopleInto, type PeopleCommunity } from './fixture.js';

const OUTSIDE_YOUR_AREA = '抱歉，这不在您负责的片区内。';
const ROLE_REQUIRED = '抱歉，您目前的职务不能办理这件事。如有需要，请联系社区居委会。';
const BAD_FORM = '表单内容不完整或格式不对，请检查后再提交。';
const CSRF = '这个页面已过期，请刷新页面后再提交。';

/** The code on the page that made it. */
function codeOn(page: string): string {
  const code = /class="people-code-text" lang="en">([^<]+)</.exec(page)?.[1];
  if (!code) throw new Error('no code on the page');
  return code;
}

describe.each(databaseTargets())('the roster and people pages (%s)', (target) => {
  let test: TestApp;
  let c: PeopleCommunity;
  let prisma: PrismaClient;
  let addresses = 0;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    prisma = test.app.database.prisma;
    c = await loadPeopleInto(prisma, test.app.communityId);
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

  const inviteCodes = () => prisma.inviteCode.count({ where: { communityId: test.app.communityId } });
  const term = (name: string) => prisma.roleAssignment.findUniqueOrThrow({ where: { id: c.terms[name]! } });

  describe('the roster', () => {
    it('finds the households of the viewer’s areas only, phones masked', async () => {
      const steward = await signedIn('孙片长');
      const found = await steward.get(`/staff/people?q=${encodeURIComponent('2号')}`);
      expect(found.status).toBe(200);
      expect(found.body).toContain('href="/staff/households/H-102"');
      // 楼寓/2号楼 is another steward's.
      expect(found.body).not.toContain('H-301');
      expect(found.body).toContain('139****2468');
      expect(found.body).not.toContain('13900002468');

      const theirs = await (await signedIn('周片长')).get(`/staff/people?q=${encodeURIComponent('2号')}`);
      expect(theirs.body).toContain('H-301');
      expect(theirs.body).not.toContain('H-102');
    });

    it('shows a household to its area’s staff and refuses another area’s with words, audited', async () => {
      const steward = await signedIn('孙片长');
      const page = await steward.get('/staff/households/H-101');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>住户H-101</h1>');
      expect(page.body).toContain('张三丰');
      expect(page.body).toContain('138****1234');
      expect(page.body).not.toContain('13800001234');
      expect(page.body).toContain('action="/staff/households/H-101/code"');

      const refused = await (await signedIn('周片长')).get('/staff/households/H-101');
      expect(refused.status).toBe(403);
      expect(refused.body).toContain(OUTSIDE_YOUR_AREA);
      expect(refused.body).not.toContain('张三丰');
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'household.view', actorId: c.people['周片长'], subjectId: c.households['H-101'] } });
      expect(audit.via).toBe('console');
    });

    it('answers an address that is no household with 404 and words', async () => {
      const committee = await signedIn('钱委员');
      const unknown = await committee.get('/staff/households/NOPE');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain('没有户号为NOPE的住户。');
      for (const path of ['%00', 'H-101%00', 'H'.repeat(100), '%F0%9F%98%80']) {
        const page = await committee.get(`/staff/households/${path}`);
        expect(page.status, path).toBe(404);
        expect(page.body, path).toContain('没有');
      }
      // Not UTF-8 at all, or longer than any code: the router refuses these before any page is asked.
      expect((await committee.get('/staff/households/%ED%A0%80')).status).toBe(400);
      expect((await committee.get(`/staff/households/${'H'.repeat(300)}`)).status).toBe(414);
      const search = await committee.get('/staff/people?q=%00');
      expect(search.status).toBe(400);
      expect(search.body).toContain(BAD_FORM);
      expect((await committee.get(`/staff/people?q=${'张'.repeat(300)}`)).status).toBe(400);
    });
  });

  describe('binding codes and phone numbers', () => {
    it('makes a household code on the page, once, and a member binds with it in the web chat', async () => {
      const steward = await signedIn('孙片长');
      await steward.get('/staff/households/H-101');
      const made = await steward.post('/staff/households/H-101/code');
      expect(made.status).toBe(200);
      expect(made.headers['cache-control']).toBe('no-store');
      expect(made.body).toContain('<svg class="people-qr" aria-hidden="true"');
      expect(made.body).toContain('绑定码只显示这一次');
      const code = codeOn(made.body);
      // The household page does not show it again.
      expect((await steward.get('/staff/households/H-101')).body).not.toContain(code);

      const person = new WebPerson(test.app);
      const [list] = await person.ask(code);
      expect(list!.text).toContain('请问您是下面哪一位');
      expect(list!.choices?.map((choice) => choice.label)).toEqual(['张三丰', '张小丰', '名单里没有我']);
      const [welcome] = await person.pressAndWait(button(list, '张小丰'), 2);
      expect(welcome!.text).toContain('欢迎您，张小丰');
      const account = await prisma.chatAccount.findUniqueOrThrow({
        where: { communityId_channel_externalId: { communityId: test.app.communityId, channel: 'web', externalId: person.sessionId } },
      });
      expect(account.residentId).toBe(c.people['张小丰']);
      // The household page now says the member's web chat is bound.
      expect((await steward.get('/staff/households/H-101')).body).toContain('网页');
    });

    it('refuses codes outside the viewer’s areas and without the CSRF field; no code is made', async () => {
      const before = await inviteCodes();
      const other = await signedIn('周片长');
      await other.get('/staff/people');
      const refused = await other.post('/staff/households/H-101/code');
      expect(refused.status).toBe(403);
      expect(refused.body).toContain(OUTSIDE_YOUR_AREA);
      expect(refused.body).not.toContain('people-code-text');
      const person = await other.post(`/staff/people/${c.people['欧阳娜娜']}/code`);
      expect(person.status).toBe(403);

      const steward = await signedIn('孙片长');
      await steward.get('/staff/households/H-101');
      const forged = await steward.post('/staff/households/H-101/code', { _csrf: null });
      expect(forged.status).toBe(403);
      expect(forged.body).toBe(CSRF);
      expect((await steward.post('/staff/households/NOPE/code')).status).toBe(404);
      expect((await steward.post('/staff/households/%00/code')).status).toBe(404);
      expect((await steward.post('/staff/people/%00/code')).status).toBe(404);
      expect((await steward.post('/staff/households/H-101/code', { note: 'x'.repeat(70 * 1024) })).status).toBe(413);
      expect(await inviteCodes()).toBe(before);
    });

    it('makes a personal code for a member', async () => {
      const steward = await signedIn('孙片长');
      await steward.get('/staff/households/H-102');
      const made = await steward.post(`/staff/people/${c.people['欧阳娜娜']}/code`);
      expect(made.status).toBe(200);
      expect(made.body).toContain('用于欧阳娜娜本人');
      expect(codeOn(made.body)).toMatch(/\S{4}/);
    });

    it('shows a member’s full number to the area’s staff on the household page, audited; refuses another area’s', async () => {
      const steward = await signedIn('孙片长');
      await steward.get('/staff/households/H-101');
      const shown = await steward.post(`/staff/people/${c.people['张三丰']}/phone`);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('<h1>住户H-101</h1>');
      expect(shown.body).toContain('href="tel:13800001234"');
      const other = await signedIn('周片长');
      await other.get('/staff/people');
      const refused = await other.post(`/staff/people/${c.people['张三丰']}/phone`);
      expect(refused.status).toBe(403);
      expect(refused.body).not.toContain('13800001234');
      const rows = await prisma.auditLog.findMany({ where: { action: 'resident.reveal_phone', subjectId: c.people['张三丰'] } });
      expect(rows.map((row) => row.via)).toEqual(['console', 'console']);
      expect((await other.post('/staff/people/nobody/phone')).status).toBe(404);
    });
  });

  describe('staff and their terms', () => {
    it('shows the terms to admins only', async () => {
      const admin = await signedIn('赵管理');
      const page = await admin.get('/staff/team');
      expect(page.status).toBe(200);
      expect(page.body).toContain('孙片长');
      expect(page.body).toContain('平房区/团结巷');
      expect(page.body).toContain(`action="/staff/team/${c.terms['孙片长']}/end"`);
      const steward = await signedIn('孙片长');
      const refused = await steward.get('/staff/team');
      expect(refused.status).toBe(403);
      expect(refused.body).toContain(ROLE_REQUIRED);
      expect(refused.body).not.toContain(c.terms['赵管理']!);
    });

    it('gives a role with a personal code shown once on the answering page', async () => {
      const admin = await signedIn('赵管理');
      await admin.get('/staff/team');
      const added = await admin.post('/staff/team', { name: '李四', role: 'patrol', area: '平房区/胜利巷', phone: '', ends: '', code: '1' });
      expect(added.status).toBe(200);
      expect(added.body).toContain('已任命。');
      const code = codeOn(added.body);
      const held = await prisma.roleAssignment.findFirstOrThrow({ where: { residentId: c.people['李四'], role: 'patrol' } });
      expect(held.endsOn).toBeNull();
      expect((await admin.get('/staff/team')).body).not.toContain(code);

      const invalid = await admin.post('/staff/team', { name: '李四', role: 'steward' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toContain('需要填写负责的片区');
      const noArea = await admin.post('/staff/team', { name: '李四', role: 'steward', area: '无此片区' });
      expect(noArea.status).toBe(400);
      expect(noArea.body).toContain('没有片区“无此片区”。');
      const skills = await admin.post('/staff/team', { name: '王五', role: 'service_team', area: '', skills: 'plumbing' });
      expect(skills.status).toBe(200);
    });

    it('moves a term’s last day and refuses dates that are no dates', async () => {
      const admin = await signedIn('赵管理');
      await admin.get('/staff/team');
      const moved = await admin.post(`/staff/team/${c.terms['孙片长']}/ends`, { ends: '2030-06-30' });
      expect(moved.status).toBe(200);
      expect(moved.body).toContain('任期最后一天已改为2030-06-30。');
      const bad = await admin.post(`/staff/team/${c.terms['孙片长']}/ends`, { ends: '2030-02-30' });
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('“2030-02-30”不是有效日期。');
      const missing = await admin.post(`/staff/team/${c.terms['孙片长']}/ends`, {});
      expect(missing.status).toBe(400);
      expect(missing.body).toContain(BAD_FORM);
      expect((await term('孙片长')).endsOn!.toISOString()).toBe('2030-06-30T15:59:59.999Z');
      const unknown = await admin.post('/staff/team/nope/ends', { ends: '2030-06-30' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain('没有找到这项任期。');
    });

    it('never ends the last admin’s term: refused with words, nothing changes', async () => {
      const admin = await signedIn('赵管理');
      await admin.get('/staff/team');
      const refused = await admin.post(`/staff/team/${c.terms['赵管理']}/end`);
      expect(refused.status).toBe(409);
      expect(refused.body).toContain('不能结束最后一位管理员的任期');
      expect((await term('赵管理')).endsOn).toBeNull();
      // The admin is still signed in and still an admin.
      expect((await admin.get('/staff/team')).status).toBe(200);
    });

    it('ends a term now; a form without its CSRF field, or with input that cannot be stored, changes nothing', async () => {
      const admin = await signedIn('赵管理');
      await admin.get('/staff/team');
      const forged = await admin.post(`/staff/team/${c.terms['吴理事']}/end`, { _csrf: null });
      expect(forged.status).toBe(403);
      expect(forged.body).toBe(CSRF);
      const nul = await admin.post('/staff/team', { name: '坏\u0000人', role: 'patrol', area: '平房区/胜利巷' });
      expect(nul.status).toBe(400);
      expect(nul.body).toContain(BAD_FORM);
      const nulDate = await admin.post(`/staff/team/${c.terms['吴理事']}/ends`, { ends: '2030\u0000' });
      expect(nulDate.status).toBe(400);
      expect((await admin.post(`/staff/team/${c.terms['吴理事']}/end`, { note: 'x'.repeat(70 * 1024) })).status).toBe(413);
      expect((await admin.post('/staff/team/%00/end')).status).toBe(400);
      expect((await term('吴理事')).endsOn).toBeNull();
      expect(await prisma.resident.count({ where: { name: { startsWith: '坏' } } })).toBe(0);

      const ended = await admin.post(`/staff/team/${c.terms['吴理事']}/end`);
      expect(ended.status).toBe(200);
      expect(ended.body).toContain('任期已结束。');
      expect((await term('吴理事')).endsOn).not.toBeNull();
      const again = await admin.post(`/staff/team/${c.terms['吴理事']}/end`);
      expect(again.status).toBe(409);
      expect(again.body).toContain('这项任期已经结束');
      const withEnded = await admin.get('/staff/team?ended=1');
      expect(withEnded.body).toContain('已结束');
    });
  });
});
