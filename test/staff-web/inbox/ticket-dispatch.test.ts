/**
 * A repair ticket's page in the staff console shows its dispatch — status, holder, every offer —
 * and the moves the viewer may make; reassigning to a member picked from the team and cancelling
 * go through the one staff dispatch path (policy, audit, the members told) and say what was done;
 * a move that no longer applies is refused with words; other tickets show no dispatch at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { fileTicket } from '../../../src/features/tickets/service/index.js';
import { startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { testDeps } from '../../features/tickets/service/support.js';
import { fileRepairIn } from '../../features/repairs/dispatch/app-filing.js';
import { loadPeopleInto, NOW, type PeopleCommunity } from '../people/fixture.js';
import { wordsOf } from './support.js';

const t = wordsOf('zh-CN');
const DAY = 24 * 3_600_000;

describe.each(databaseTargets())('a repair job on the console’s ticket page (%s)', (target) => {
  let test: TestApp;
  let c: PeopleCommunity;
  let prisma: PrismaClient;
  const team: { id: string; name: string }[] = [];

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    prisma = test.app.database.prisma;
    c = await loadPeopleInto(prisma, test.app.communityId);
    for (const name of ['钱师傅', '孙师傅']) {
      const resident = await prisma.resident.create({ data: { communityId: c.communityId, name } });
      await prisma.roleAssignment.create({ data: { communityId: c.communityId, residentId: resident.id, role: 'service_team', skills: ['plumbing'], startsOn: new Date(Date.now() - DAY) } });
      // A browser of their own: a chat that cannot be reached takes a member out of the offers.
      await prisma.chatAccount.create({ data: { communityId: c.communityId, channel: 'web', externalId: new WebPerson(test.app).sessionId, residentId: resident.id, boundAt: new Date() } });
      team.push({ id: resident.id, name });
    }
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('shows the dispatch, reassigns to a member picked from the team, and cancels', async () => {
    const leak = await fileRepairIn(test.app, c.people['张三丰']!);
    const offered = (await prisma.dispatchOffer.findFirstOrThrow({ where: { workOrderId: leak.workOrderId } })).memberId;
    const first = team.find((m) => m.id === offered)!;
    const other = team.find((m) => m !== first)!;
    const steward = new StaffBrowser(test.app, '198.51.100.7');
    await steward.signIn('孙片长', c.people['孙片长']!);

    const page = await steward.get(`/staff/tickets/${leak.number}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(t('staffweb.inbox.dispatch.title'));
    expect(page.body).toContain(t('dispatch.status.offered'));
    expect(page.body).toContain(`${first.name} · ${t('dispatch.offer_status.open')}`);
    for (const move of ['reassign', 'take_over', 'cancel']) expect(page.body).toContain(`/staff/tickets/${leak.number}/dispatch/${move}`);

    const reassigned = await steward.post(`/staff/tickets/${leak.number}/dispatch/reassign`, { memberId: other.id });
    expect(reassigned.status).toBe(303);
    const after = await steward.get(`/staff/tickets/${leak.number}?dispatched=reassign`);
    expect(after.body).toContain(t('staffweb.inbox.dispatch.done.reassign', { number: leak.number }));
    expect(after.body).toContain(`${first.name} · ${t('dispatch.offer_status.withdrawn')}`);
    expect(after.body).toContain(`${other.name} · ${t('dispatch.offer_status.open')}`);

    expect((await steward.post(`/staff/tickets/${leak.number}/dispatch/cancel`, {})).status).toBe(303);
    expect((await prisma.workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } })).status).toBe('cancelled');
    const again = await steward.post(`/staff/tickets/${leak.number}/dispatch/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body).toContain(t('dispatch.status.cancelled'));
    const cancelledPage = await steward.get(`/staff/tickets/${leak.number}`);
    expect(cancelledPage.body).not.toContain(`/dispatch/cancel`);
    const audits = await prisma.auditLog.findMany({ where: { subjectId: leak.workOrderId, action: { in: ['job.reassign', 'job.cancel'] } } });
    expect(audits.map((a) => [a.action, a.via])).toEqual(expect.arrayContaining([['job.reassign', 'console'], ['job.cancel', 'console']]));
  });

  it('takes the job over for a member picked from the team: held by them at once, no offer left open, audited', async () => {
    const leak = await fileRepairIn(test.app, c.people['张三丰']!);
    const taker = team[1]!;
    const steward = new StaffBrowser(test.app, '198.51.100.9');
    await steward.signIn('孙片长', c.people['孙片长']!);

    const taken = await steward.post(`/staff/tickets/${leak.number}/dispatch/take_over`, { memberId: taker.id });
    expect(taken.status).toBe(303);
    const page = await steward.get(`/staff/tickets/${leak.number}?dispatched=take_over`);
    expect(page.body).toContain(t('staffweb.inbox.dispatch.done.take_over', { number: leak.number }));
    expect(page.body).toContain(t('dispatch.status.accepted'));
    expect(await prisma.workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } })).toMatchObject({ status: 'accepted', memberId: taker.id });
    expect(await prisma.dispatchOffer.count({ where: { workOrderId: leak.workOrderId, status: 'open' } })).toBe(0);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { subjectId: leak.workOrderId, action: 'job.take_over' } });
    expect(audit).toMatchObject({ via: 'console', actorId: c.people['孙片长']! });
  });

  it('refuses a member who is not on the team, and shows no dispatch on other tickets', async () => {
    const leak = await fileRepairIn(test.app, c.people['张三丰']!);
    const steward = new StaffBrowser(test.app, '198.51.100.8');
    await steward.signIn('孙片长', c.people['孙片长']!);
    const refused = await steward.post(`/staff/tickets/${leak.number}/dispatch/take_over`, { memberId: c.people['张三丰']! });
    expect(refused.status).toBe(400);
    expect((await prisma.workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } })).status).toBe('offered');

    const actor = await c.actorOf('张三丰');
    const complaint = await prisma.$transaction((tx) =>
      fileTicket(tx, testDeps(NOW), { communityId: c.communityId, actor, kind: 'complaint', category: 'other', description: '楼道灯不亮', filerAnsweredInChat: true, at: NOW }),
    );
    const page = await steward.get(`/staff/tickets/${complaint.number}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(t('staffweb.inbox.dispatch.title'));
  });
});
