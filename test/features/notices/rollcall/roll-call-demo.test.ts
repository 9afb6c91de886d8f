/**
 * The roll-call over a community the demo seed builds through the real roster importer (400
 * households in lanes and buildings, groups of about ten with their heads, stewards by lane),
 * the alert sent by one of its committee members through the notices service on a fake clock:
 * a third of the households answer and one group answers whole; at T1 every head's list holds
 * exactly their own group's households not answered — and the head of the group that answered
 * whole gets nothing; at T2 every steward's list holds exactly the unanswered households whose
 * nearest steward they are. The lists are read back from the messages written.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../../src/channels/types.js';
import { seedDemoCommunity } from '../../../../src/features/community/demo/seed-demo.js';
import { recordNoticeAnswer } from '../../../../src/features/notices/answers/record-answer.js';
import { runRollCallStage } from '../../../../src/features/notices/rollcall/escalate.js';
import { nearestStewards } from '../../../../src/features/tickets/scheduling/staff-directory.js';
import { startTestApp, type TestApp } from '../../../support/app.js';
import { noticeSending, sendAlert, type SentAlert } from '../../../support/alerts.js';
import { databaseTargets } from '../../../support/database.js';
import { rollCallDepsOf } from './roll-call-deps.js';

const MINUTE = 60_000;

describe.each(databaseTargets())('the roll-call of a demo community on %s', (target) => {
  let t: TestApp;
  let alert: SentAlert;
  const t0 = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const prisma = () => t.app.database.prisma;
  const sending = noticeSending();
  /** Chat id of each staff member's and head's account. */
  const chatOf = new Map<string, string>();
  let households: { id: string; address: string; areaId: string; groupId: string | null }[] = [];
  const answered = new Set<string>();
  let groups: { id: string; headId: string }[] = [];

  /** The household addresses in the roll-call lists written to `residentId`'s chat. */
  const listedTo = async (residentId: string): Promise<string[]> => {
    const rows = await prisma().outboxMessage.findMany({ where: { chatId: chatOf.get(residentId)! }, orderBy: { seq: 'asc' }, select: { payload: true } });
    const text = rows.map((row) => (row.payload as unknown as OutboundMessage).text).join('\n');
    return [...text.matchAll(/^\d+\. (?:\[[^\]]*\] )?(.+?)：/gm)].map((match) => match[1]!).sort();
  };
  const addressesOf = (ids: Iterable<string>) => [...ids].map((id) => households.find((h) => h.id === id)!.address).sort();

  beforeAll(async () => {
    t = await startTestApp(target, {}, undefined, { clock: () => t0, extraFeatures: [sending.feature] });
    const communityId = t.app.communityId;
    const seeded = await seedDemoCommunity({ prisma: prisma(), communityId, timeZone: 'Asia/Shanghai', actor: { kind: 'operator' }, households: 400, seed: 11, now: new Date(t0.getTime() - 86_400_000) });
    if (!seeded.ok) throw new Error('demo seed refused');
    households = await prisma().household.findMany({ where: { communityId }, orderBy: { code: 'asc' }, select: { id: true, address: true, areaId: true, groupId: true } });
    groups = (await prisma().householdGroup.findMany({ where: { communityId, headId: { not: null } }, select: { id: true, headId: true } })).map((g) => ({ id: g.id, headId: g.headId! }));
    const stewards = await prisma().roleAssignment.findMany({ where: { communityId, role: 'steward' }, select: { residentId: true } });
    for (const residentId of new Set([...groups.map((g) => g.headId), ...stewards.map((s) => s.residentId)])) {
      // A web chat session's form of id, so the rows are delivered like any (never refused as an unknown chat).
      const externalId = randomBytes(16).toString('hex');
      await prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId, residentId, boundAt: t0 } });
      chatOf.set(residentId, externalId);
    }
    const committee = await prisma().roleAssignment.findFirstOrThrow({ where: { communityId, role: 'committee' }, select: { residentId: true } });
    alert = await sendAlert(t.app, sending.service(), committee.residentId);
    const wholeGroup = groups[0]!.id;
    await prisma().$transaction(async (tx) => {
      for (const [index, household] of households.entries()) {
        if (index % 3 !== 0 && household.groupId !== wholeGroup) continue;
        await recordNoticeAnswer(tx, t.app.events, { communityId, noticeId: alert.noticeId, householdId: household.id, residentId: null, answer: 'ok', at: t0 });
        answered.add(household.id);
      }
    });
  }, 180_000);
  afterAll(() => t?.close());

  it('gives every head exactly their own group’s households not answered, and the head of a group that answered whole nothing', async () => {
    expect(groups.length).toBeGreaterThan(20);
    const at = new Date(t0.getTime() + 10 * MINUTE);
    const outcome = await prisma().$transaction((tx) => runRollCallStage(tx, rollCallDepsOf(t.app, () => at), alert.noticeId, 'heads', at), { timeout: 60_000 });
    expect(outcome.outcome).toBe('sent');
    for (const group of groups) {
      const expected = addressesOf(households.filter((h) => h.groupId === group.id && !answered.has(h.id)).map((h) => h.id));
      expect(await listedTo(group.headId), `the head of group ${group.id}`).toEqual(expected);
    }
    expect(await listedTo(groups[0]!.headId)).toEqual([]);
  });

  it('gives every steward exactly the unanswered households they are the nearest steward of', async () => {
    const at = new Date(t0.getTime() + 30 * MINUTE);
    const before = new Map<string, string[]>();
    const stewards = await prisma().roleAssignment.findMany({ where: { communityId: t.app.communityId, role: 'steward' }, select: { residentId: true } });
    for (const { residentId } of stewards) before.set(residentId, await listedTo(residentId));
    const outcome = await prisma().$transaction((tx) => runRollCallStage(tx, rollCallDepsOf(t.app, () => at), alert.noticeId, 'stewards', at), { timeout: 60_000 });
    expect(outcome).toMatchObject({ outcome: 'sent' });
    const expected = new Map<string, string[]>();
    for (const household of households) {
      if (answered.has(household.id)) continue;
      for (const steward of await nearestStewards(prisma(), t.app.communityId, household.areaId, at)) expected.set(steward, [...(expected.get(steward) ?? []), household.id]);
    }
    expect(expected.size).toBeGreaterThan(0);
    for (const { residentId } of stewards) {
      const now = await listedTo(residentId);
      // A steward who also heads a group got that list at T1: only what came now counts here.
      const added = now.filter((address, i, all) => all.indexOf(address) === i && now.filter((a) => a === address).length > (before.get(residentId) ?? []).filter((a) => a === address).length);
      expect(added.sort(), `steward ${residentId}`).toEqual(addressesOf(expected.get(residentId) ?? []));
    }
  });
});
