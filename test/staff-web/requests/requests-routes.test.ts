/**
 * The binding requests pages on the whole app: a visitor asks to be bound in the web chat and
 * the request is on the console's list for the staff of their area (not for another area's);
 * approving from the page binds the person and tells them in their chat, and the open pages and
 * staff chats hear of it after the commit; a steward of another area, a form without its CSRF
 * field and every kind of bad input change nothing and get a 4xx with words, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { askToBeBound } from '../../inbox/support.js';
import { loadPeopleInto, type PeopleCommunity } from '../people/fixture.js';

const OUTSIDE_YOUR_AREA = '抱歉，这不在您负责的片区内。';
const BAD_FORM = '表单内容不完整或格式不对，请检查后再提交。';

describe.each(databaseTargets())('the binding requests pages (%s)', (target) => {
  let test: TestApp;
  let c: PeopleCommunity;
  let prisma: PrismaClient;
  /** 张小丰 of H-101 (平房区/团结巷), asking in the web chat. */
  let xiaofeng: WebPerson;
  let number: number;
  let addresses = 0;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    prisma = test.app.database.prisma;
    c = await loadPeopleInto(prisma, test.app.communityId);
    xiaofeng = new WebPerson(test.app);
    number = await askToBeBound(xiaofeng, { name: '张小丰', address: '团结巷1号院东屋', phone: '138-0000-5678' });
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  /** A staff member signed in from a browser of their own. */
  async function signedIn(name: string): Promise<StaffBrowser> {
    addresses += 1;
    const browser = new StaffBrowser(test.app, `198.51.100.${addresses}`);
    await browser.signIn(name, c.people[name]!);
    return browser;
  }

  const requestRow = (n: number) => prisma.bindingRequest.findFirstOrThrow({ where: { communityId: test.app.communityId, number: n }, include: { chatAccount: true } });

  it('lists a request filed in the web chat for the staff of its area, the phone masked, marked to refresh itself', async () => {
    const steward = await signedIn('孙片长');
    const page = await steward.get('/staff/requests');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`申请${number}号`);
    expect(page.body).toContain('张小丰');
    expect(page.body).toContain('团结巷1号院东屋');
    expect(page.body).toContain('138****5678');
    expect(page.body).not.toContain('13800005678');
    // The roster's probable household, with the button to approve into it.
    expect(page.body).toContain(`action="/staff/requests/${number}/approve"`);
    expect(page.body).toContain('name="household" value="H-101"');
    expect(page.body).toMatch(/data-live-watch="request"/);
    expect(page.body).toMatch(/data-live="requests"/);
    expect(page.headers['cache-control']).toBe('no-store');

    // The steward of 楼寓 does not see it, nor its page.
    const other = await signedIn('周片长');
    const theirs = await other.get('/staff/requests');
    expect(theirs.status).toBe(200);
    expect(theirs.body).not.toContain(`申请${number}号`);
    expect((await other.get(`/staff/requests/${number}`)).status).toBe(404);
  });

  it('refuses a steward of another area with the policy’s words; nothing changes', async () => {
    const other = await signedIn('周片长');
    await other.get('/staff/requests');
    const before = (await xiaofeng.received()).length;
    const refused = await other.post(`/staff/requests/${number}/approve`, { household: 'H-101' });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain(OUTSIDE_YOUR_AREA);
    expect((await requestRow(number)).status).toBe('pending');
    expect((await requestRow(number)).chatAccount.residentId).toBeNull();
    expect((await xiaofeng.received()).length).toBe(before);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'binding.approve', actorId: c.people['周片长'] } });
    expect(audit).toMatchObject({ via: 'console', details: { number, denied: true, reason: 'outside_your_area' } });
  });

  it('refuses a form without its CSRF field; nothing changes', async () => {
    const steward = await signedIn('孙片长');
    await steward.get('/staff/requests');
    const forged = await steward.post(`/staff/requests/${number}/approve`, { _csrf: null, household: 'H-101' });
    expect(forged.status).toBe(403);
    expect(forged.body).toBe('这个页面已过期，请刷新页面后再提交。');
    const wrong = await steward.post(`/staff/requests/${number}/reject`, { _csrf: 'not-a-token' });
    expect(wrong.status).toBe(403);
    expect((await requestRow(number)).status).toBe('pending');
  });

  it('answers bad input with a 4xx and words, never a 500, and changes nothing', async () => {
    const committee = await signedIn('钱委员');
    await committee.get('/staff/requests');
    const unknown = await committee.post(`/staff/requests/${number}/approve`, { household: 'NOPE-9' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('没有户号为NOPE-9的住户。');

    const nul = await committee.post(`/staff/requests/${number}/approve`, { household: 'H-101\u0000' });
    expect(nul.status).toBe(400);
    expect(nul.body).toContain(BAD_FORM);

    const huge = await committee.post(`/staff/requests/${number}/approve`, { household: 'H'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body).toBe('提交的内容太大了。');

    const long = await committee.post(`/staff/requests/${number}/approve`, { household: 'H'.repeat(101) });
    expect(long.status).toBe(400);

    for (const path of ['18446744073709551617', '99999999999999999999999999', '0', '-1', '1.5', '%00']) {
      const page = await committee.get(`/staff/requests/${path}`);
      expect(page.status, path).toBe(404);
      expect(page.body, path).toContain('没有找到。');
      const post = await committee.post(`/staff/requests/${path}/approve`, { household: 'H-101' });
      expect(post.status, path).toBe(404);
    }
    const search = await committee.get(`/staff/requests/${number}?q=%E5%BC%A0%00`);
    expect(search.status).toBe(400);
    expect(search.body).toContain(BAD_FORM);
    const list = await committee.get('/staff/requests?status=%00&page=99999999999999999999999');
    expect(list.status).toBe(200);
    expect((await requestRow(number)).status).toBe('pending');
  });

  it('searches the roster from the request’s page and shows each household with its approve button', async () => {
    const steward = await signedIn('孙片长');
    const page = await steward.get(`/staff/requests/${number}?q=${encodeURIComponent('张')}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('与“张”相符的住户');
    // The box keeps what was searched for, to search again from it.
    expect(page.body).toContain('name="q" type="search" value="张"');
    expect(page.body).toContain('<h3>H-101</h3>');
    // Members masked: the surname and the phone's ending.
    expect(page.body).toContain('尾号5678');
    expect(page.body).not.toContain('张三丰');
  });

  it('shows the number the person gave in full to whoever may decide, audited', async () => {
    const steward = await signedIn('孙片长');
    await steward.get(`/staff/requests/${number}`);
    const shown = await steward.post(`/staff/requests/${number}/phone`);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain('href="tel:13800005678"');
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'resident.reveal_phone', subjectType: 'binding_request', actorId: c.people['孙片长'] } });
    expect(audit.via).toBe('console');
  });

  it('approves from the page: back to the list saying so; the person is bound and told; the pages hear of it after the commit', async () => {
    const heard: string[] = [];
    test.app.events.onCommitted('binding_request.changed', async (change) => {
      heard.push(change.kind);
    });
    const steward = await signedIn('孙片长');
    await steward.get('/staff/requests');
    const before = (await xiaofeng.received()).length;
    const approved = await steward.post(`/staff/requests/${number}/approve`, { household: 'H-101' });
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`/staff/requests?done=approved&number=${number}`);
    const list = await steward.get(approved.location!);
    expect(list.body).toContain(`${number}号申请已通过，申请人已收到通知。`);
    expect(list.body).not.toContain(`action="/staff/requests/${number}/approve"`);

    const [notice] = (await xiaofeng.waitForMessages(before + 1)).slice(before);
    expect(notice!.text).toBe(`您的绑定申请（编号${number}）已批准。欢迎您，张小丰！回复“菜单”就可以开始办理社区事务了。`);
    const row = await requestRow(number);
    expect(row.status).toBe('approved');
    expect(row.chatAccount.residentId).toBe(c.people['张小丰']);
    expect(heard).toEqual(['approved']);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'binding.approve', actorId: c.people['孙片长'] } });
    expect(audit).toMatchObject({ via: 'console', subjectType: 'binding_request', details: { number, residentId: c.people['张小丰'] } });

    // A second press (another tab, a reload of the form) changes nothing and says why.
    const again = await steward.post(`/staff/requests/${number}/approve`, { household: 'H-101' });
    expect(again.status).toBe(409);
    expect(again.body).toContain(`${number}号申请已经通过，无需再处理。`);
    expect((await xiaofeng.received()).length).toBe(before + 1);
  });

  it('rejects from the page for staff of the whole community only; the person is told', async () => {
    const stranger = new WebPerson(test.app);
    const asked = await askToBeBound(stranger, { name: '路人甲', address: '不知道哪里', phone: '13011112222' });
    const steward = await signedIn('孙片长');
    await steward.get('/staff/requests');
    expect((await steward.post(`/staff/requests/${asked}/reject`)).status).toBe(403);

    const committee = await signedIn('钱委员');
    const page = await committee.get('/staff/requests');
    expect(page.body).toContain(`action="/staff/requests/${asked}/reject"`);
    const before = (await stranger.received()).length;
    const rejected = await committee.post(`/staff/requests/${asked}/reject`);
    expect(rejected.status).toBe(303);
    expect((await committee.get(rejected.location!)).body).toContain(`${asked}号申请已拒绝，申请人已收到通知。`);
    const [notice] = (await stranger.waitForMessages(before + 1)).slice(before);
    expect(notice!.text).toContain(`您的绑定申请（编号${asked}）已拒绝`);
    expect((await requestRow(asked)).status).toBe('rejected');
  });
});
