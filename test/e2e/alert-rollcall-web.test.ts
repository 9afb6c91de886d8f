/**
 * An alert's roll-call through the whole app in the web chat, on a fake clock: a committee
 * member types `/alert all …` in their web chat and presses 发送; at exactly 10
 * minutes (nothing at 9:59) each group head gets their own group's households that have not
 * answered — names, masked phones, one "已电话联系" button each — and a head whose group all
 * answered gets nothing; a head marks one household reached (audited); a head of another group
 * and a plain resident pressing it are refused, audited, and nothing is recorded; at exactly 30
 * minutes (nothing at 29:59) each lane's steward gets the lane's households still not answered,
 * grouped by group. A second run, a restart's sweep, repeats nothing; a lost job comes back.
 * "需要帮助" under the next alert opens an urgent ticket for the household.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/channels/types.js';
import { runRollCallStage } from '../../src/features/notices/rollcall/escalate.js';
import { RollCallJobs } from '../../src/features/notices/rollcall/roll-call-jobs.js';
import { jobIds } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';
import { button, startTestApp, type TestApp } from '../support/app.js';
import { alertFromWebChat, type SentAlert } from '../support/alerts.js';
import { databaseTargets } from '../support/database.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';
import { rollCallDepsOf } from '../features/notices/rollcall/roll-call-deps.js';
import { seedRollCallCommunity, type Person, type RollCallCommunity } from '../features/notices/rollcall/roll-call-community.js';

const MINUTE = 60_000;
const MASKED = /1\d{2}\*{4}\d{4}/;

describe.each(databaseTargets())('the roll-call of an alert on %s', (target) => {
  let t: TestApp;
  let c: RollCallCommunity;
  let now = new Date();
  let t0 = now;
  let alert: SentAlert;
  const prisma = () => t.app.database.prisma;
  const deps = () => rollCallDepsOf(t.app, () => now);
  const queue = () => t.app.queues.queue(QueueNames.noticeRollCalls);

  const alertOf = (person: Person, noticeId: string) =>
    waitFor(async () => (await person.web.received()).find((m) => m.choices?.some((choice) => choice.data.includes(noticeId))), 'the alert');
  const press = async (person: Person, message: OutboundMessage, label: string): Promise<string> => {
    const before = (await person.web.received()).length;
    await person.web.press(button(message, label));
    return (await person.web.waitForMessages(before + 1))[before]!.text;
  };
  const listOf = (person: Person, header: string) => waitFor(async () => (await person.web.received()).find((m) => m.text.includes(header)), `a roll-call list to ${person.name}`);
  const listsTo = async (person: Person) => (await person.web.received()).filter((m) => m.text.includes('【应急点名】')).length;
  /** Runs a stage's real delayed job now (the fake clock already moved). */
  const runJob = async (stage: 'heads' | 'stewards') => {
    const job = await waitFor(() => queue().getJob(jobIds['notice-roll-calls']({ noticeId: alert.noticeId, stage })), `the ${stage} job`);
    await job.promote();
  };
  const stageAt = (stage: 'heads' | 'stewards', at: Date) => prisma().$transaction((tx) => runRollCallStage(tx, { ...deps(), now: () => at }, alert.noticeId, stage, at));

  beforeAll(async () => {
    t = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { clock: () => now });
    c = await seedRollCallCommunity(t.app);
    t0 = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    now = t0;
    alert = await alertFromWebChat(t.app, c.people.chair.web, '/alert all 停水停电紧急通知\n因管道抢修，今晚全片区停水停电，请确认家中平安。');
    const { zhao, zhou, sun } = c.people;
    // G-01 answers whole (赵 and 周), G-03 half (孙, not 郑); G-02 and the household in no group not at all.
    for (const person of [zhao, zhou, sun]) expect(await press(person, await alertOf(person, alert.noticeId), '收到')).toContain('已收到您家的回复');
  }, 90_000);
  afterAll(() => t?.close());

  it('gives each head their own group’s households at exactly 10 minutes, and nothing to a head whose group all answered', async () => {
    const { zhao, qian, sun, stewardA, stewardB } = c.people;
    const early = await stageAt('heads', new Date(t0.getTime() + 10 * MINUTE - 1000));
    expect(early.outcome).toBe('not_due');

    now = new Date(t0.getTime() + 10 * MINUTE);
    await runJob('heads');
    const theirs = await listOf(qian, '【应急点名】');
    expect(theirs.text).toContain(`通知${alert.number}「停水停电紧急通知」已发出10分钟，您组里还有2户没有回复`);
    expect(theirs.text).toContain('团结巷3号：钱卫东（');
    expect(theirs.text).toContain('团结巷4号：吴奶奶（');
    expect(theirs.text).toMatch(MASKED);
    expect(theirs.text).not.toMatch(/1\d{10}/);
    for (const other of ['团结巷1号', '团结巷2号', '团结巷5号', '胜利巷']) expect(theirs.text).not.toContain(other);
    expect(theirs.choices?.map((choice) => choice.label)).toEqual(['☎️1已电话联系：团结巷3号', '☎️2已电话联系：团结巷4号']);

    const sunList = await listOf(sun, '【应急点名】');
    expect(sunList.text).toContain('您组里还有1户没有回复');
    expect(sunList.text).toContain('胜利巷2号：郑阿姨（');
    expect(sunList.text).not.toContain('团结巷');

    await whenQuiet(prisma());
    expect(await listsTo(zhao)).toBe(0);
    expect(await listsTo(stewardA)).toBe(0);
    expect(await listsTo(stewardB)).toBe(0);
  });

  it('lets the head mark a household reached, and refuses another group’s head and a resident, audited', async () => {
    const { qian, sun, zheng } = c.people;
    const list = await listOf(qian, '【应急点名】');
    expect(await press(qian, list, '团结巷4号')).toContain(`已记下：团结巷4号已电话联系（通知${alert.number}）`);
    const reached = await prisma().noticeAnswer.findUniqueOrThrow({ where: { noticeId_householdId: { noticeId: alert.noticeId, householdId: c.households.A4.id } } });
    expect(reached).toMatchObject({ answer: 'reached', residentId: qian.residentId });
    expect(await prisma().auditLog.count({ where: { action: 'notice.reached', subjectId: c.households.A4.id, actorId: qian.residentId } })).toBe(1);
    // Pressed again (or the household answered meanwhile): left as it is, and said so.
    expect(await press(qian, list, '团结巷4号')).toContain('团结巷4号已经回复过了：钱卫东于');

    expect(await press(sun, list, '团结巷3号')).toContain('这不是您负责的十户联包小组');
    expect(await press(zheng, list, '团结巷3号')).toContain('抱歉');
    expect(await prisma().noticeAnswer.count({ where: { noticeId: alert.noticeId, householdId: c.households.A3.id } })).toBe(0);
    const refusals = await prisma().auditLog.findMany({ where: { action: 'notice.reached', subjectId: c.households.A3.id } });
    expect(refusals.map((row) => [row.actorId, (row.details as { denied?: boolean }).denied]).sort()).toEqual(
      [
        [sun.residentId, true],
        [zheng.residentId, true],
      ].sort(),
    );
  });

  it('gives each steward their lane’s households still not answered at exactly 30 minutes, grouped by group', async () => {
    const { stewardA, stewardB } = c.people;
    expect((await stageAt('stewards', new Date(t0.getTime() + 30 * MINUTE - 1000))).outcome).toBe('not_due');
    now = new Date(t0.getTime() + 30 * MINUTE);
    await runJob('stewards');
    const lane = await listOf(stewardA, '【应急点名】');
    expect(lane.text).toContain('已发出30分钟，您片区还有2户没有回复');
    expect(lane.text).toMatch(/【G-02组】\n1\. 团结巷3号：钱卫东（1\d{2}\*{4}\d{4}）\n【未分组】\n2\. 团结巷5号：王师傅/);
    expect(lane.text).not.toContain('团结巷4号');
    expect(lane.text).not.toContain('胜利巷');
    const other = await listOf(stewardB, '【应急点名】');
    expect(other.text).toContain('胜利巷2号：郑阿姨');
    expect(other.text).not.toContain('团结巷');
    // The steward may mark their lane's household reached.
    expect(await press(stewardA, lane, '团结巷5号')).toContain('已记下：团结巷5号已电话联系');
  });

  it('repeats nothing on a second run or a restart’s sweep, and a lost job comes back', async () => {
    const { qian, stewardA } = c.people;
    await whenQuiet(prisma());
    const before = [await listsTo(qian), await listsTo(stewardA)];
    expect((await stageAt('heads', now)).outcome).toBe('done_before');
    expect((await stageAt('stewards', now)).outcome).toBe('done_before');
    const jobs = new RollCallJobs(deps(), queue());
    expect(await jobs.sweep()).toBeGreaterThanOrEqual(1);
    for (const stage of ['heads', 'stewards'] as const) {
      const job = await queue().getJob(jobIds['notice-roll-calls']({ noticeId: alert.noticeId, stage }));
      if (job && (await job.isDelayed())) await job.promote();
    }
    await waitFor(async () => {
      const left = await Promise.all((['heads', 'stewards'] as const).map((stage) => queue().getJob(jobIds['notice-roll-calls']({ noticeId: alert.noticeId, stage }))));
      return left.every((job) => !job);
    }, 'the swept jobs to finish');
    await whenQuiet(prisma());
    expect([await listsTo(qian), await listsTo(stewardA)]).toEqual(before);
    expect(await prisma().auditLog.count({ where: { action: 'notice.roll_call', subjectId: alert.noticeId } })).toBe(2);

    // A job lost with a crash: the sweep at start adds it again.
    const later = await alertFromWebChat(t.app, c.people.chair.web, '/alert all 燃气泄漏警报\n请立即关闭燃气阀门，开窗通风，确认家中平安。');
    const id = jobIds['notice-roll-calls']({ noticeId: later.noticeId, stage: 'heads' });
    await waitFor(() => queue().getJob(id), 'the new alert’s job');
    await queue().remove(id);
    expect(await queue().getJob(id)).toBeFalsy();
    await jobs.sweep();
    expect(await queue().getJob(id)).toBeTruthy();

    // 需要帮助 under it: an urgent ticket for the household, its number and the emergency lines said.
    const { wu } = c.people;
    const reply = await press(wu, await alertOf(wu, later.noticeId), '需要帮助');
    const help = await prisma().noticeAnswer.findUniqueOrThrow({ where: { noticeId_householdId: { noticeId: later.noticeId, householdId: c.households.A4.id } } });
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: help.ticketId! } });
    expect(ticket).toMatchObject({ category: 'public_security', householdId: c.households.A4.id, reporterId: wu.residentId });
    expect(reply).toContain(`工单号${ticket.number}`);
    expect(reply).toContain('火警：119');
  });
});
