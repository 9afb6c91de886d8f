/**
 * The takeover the staff-binding rule closes, tried the way a steward would on the whole app:
 * 张三丰 of H-101 is also an admin. The area's steward is refused his personal code on the console
 * (with the policy's words), and a household code from the console cannot pick him in the web
 * chat — the person is told politely to ask for a personal code, and the account stays unbound.
 * An admin hands him a personal code that binds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { button, startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { APPOINTED, loadPeopleInto, translator, type PeopleCommunity } from './fixture.js';

const ROLE_REQUIRED = translator.t('zh-CN', 'policy.denied.role_required');

function codeOn(page: string): string {
  const code = /class="people-code-text" lang="en">([^<]+)</.exec(page)?.[1];
  if (!code) throw new Error('no code on the page');
  return code;
}

describe.each(databaseTargets())('binding an admin through the console and the web chat (%s)', (target) => {
  let test: TestApp;
  let c: PeopleCommunity;
  let prisma: PrismaClient;
  let addresses = 0;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    prisma = test.app.database.prisma;
    c = await loadPeopleInto(prisma, test.app.communityId);
    await prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: c.people['张三丰']!, role: 'admin', startsOn: APPOINTED } });
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
  const accountOf = (person: WebPerson) =>
    prisma.chatAccount.findUniqueOrThrow({ where: { communityId_channel_externalId: { communityId: test.app.communityId, channel: 'web', externalId: person.sessionId } } });

  it('refuses the steward the admin’s personal code, with the policy’s words', async () => {
    const steward = await signedIn('孙片长');
    await steward.get('/staff/households/H-101');
    const before = await prisma.inviteCode.count({ where: { communityId: c.communityId } });
    const refused = await steward.post(`/staff/people/${c.people['张三丰']}/code`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain(ROLE_REQUIRED);
    expect(await prisma.inviteCode.count({ where: { communityId: c.communityId } })).toBe(before);
  });

  it('lets a household code bind the others, but answers picking the admin politely and binds nothing', async () => {
    const steward = await signedIn('孙片长');
    await steward.get('/staff/households/H-101');
    const code = codeOn((await steward.post('/staff/households/H-101/code')).body);

    const person = new WebPerson(test.app);
    const [list] = await person.ask(code);
    const replies = await person.pressAndWait(button(list, '张三丰'), 1);
    expect(replies.map((reply) => reply.text).join('\n')).toContain(translator.t('zh-CN', 'flows.bind.staff_member', { office: '' }).slice(0, 20));
    expect((await accountOf(person)).residentId).toBeNull();

    const other = new WebPerson(test.app);
    const [again] = await other.ask(code);
    const [welcome] = await other.pressAndWait(button(again, '张小丰'), 2);
    expect(welcome!.text).toContain('欢迎您，张小丰');
  });

  it('hands the admin’s personal code to an admin, and it binds him', async () => {
    const admin = await signedIn('赵管理');
    await admin.get('/staff/households/H-101');
    const made = await admin.post(`/staff/people/${c.people['张三丰']}/code`);
    expect(made.status).toBe(200);
    const person = new WebPerson(test.app);
    await person.ask(codeOn(made.body), 2);
    expect((await accountOf(person)).residentId).toBe(c.people['张三丰']);
  });
});
