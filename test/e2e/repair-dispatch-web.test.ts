/**
 * A repair job through the whole app over the web chat, as the service team sees it: offered to
 * one member with accept / decline buttons, declined and passed on, run out (its time moved to
 * the past, then its real delayed job run at once) and passed on, accepted; the member's day — on the way, done with a
 * service record and an after photo — and away / back; an emergency to every plumber at once with
 * one holder; a button pressed by someone else refused; and a repair reported by a resident in
 * chat, taken, on the way and done by a member, confirmed fixed by the resident.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/channels/types.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import { fileRepairIn } from '../features/repairs/dispatch/app-filing.js';
import { jobIds } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';

const DAY = 24 * 3_600_000;

describe.each(databaseTargets())('repair dispatch in the web chat on %s', (target) => {
  let t: TestApp;
  const prisma = () => t.app.database.prisma;
  const members: { name: string; person: WebPerson; residentId: string }[] = [];
  let reporterId = '';
  let steward: WebPerson;

  async function turn(person: WebPerson, send: () => Promise<unknown>, replies: number): Promise<OutboundMessage[]> {
    const before = (await person.received()).length;
    await send();
    return (await person.waitForMessages(before + replies)).slice(before);
  }
  const say = (person: WebPerson, text: string, replies = 1) => turn(person, () => person.say(text), replies);
  const press = (person: WebPerson, message: OutboundMessage | undefined, label: string, replies = 1) => turn(person, () => person.press(button(message, label)), replies);
  const last = async (person: WebPerson) => (await person.received()).at(-1);
  /** The member whose last message offers `number`, waiting for it. */
  const offeredTo = (number: string, except: string[] = []) =>
    waitFor(async () => {
      for (const member of members) {
        if (except.includes(member.residentId)) continue;
        const message = await last(member.person);
        if (message?.text.includes(number) && message.text.includes('新的维修任务')) return { member, message };
      }
      return undefined;
    }, `an offer of ${number}`);

  beforeAll(async () => {
    t = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' });
    const communityId = t.app.communityId;
    const zone = await prisma().area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
    const lane = await prisma().area.create({ data: { communityId, name: '团结巷', path: '平房区/团结巷', depth: 2, parentId: zone.id } });
    const home = await prisma().household.create({ data: { communityId, code: 'A-0101', address: '团结巷3号院1号', areaId: lane.id } });
    reporterId = (await prisma().resident.create({ data: { communityId, householdId: home.id, name: '张三' } })).id;
    const since = new Date(Date.now() - DAY);
    for (const name of ['钱师傅', '孙师傅', '李师傅']) {
      const resident = await prisma().resident.create({ data: { communityId, name } });
      await prisma().roleAssignment.create({ data: { communityId, residentId: resident.id, role: 'service_team', skills: ['plumbing'], startsOn: since } });
      const person = new WebPerson(t.app);
      await prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: person.sessionId, residentId: resident.id, boundAt: since } });
      members.push({ name, person, residentId: resident.id });
    }
    const stewardId = (await prisma().resident.create({ data: { communityId, name: '王干部' } })).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: stewardId, role: 'steward', areaId: zone.id, startsOn: since } });
    steward = new WebPerson(t.app);
    await prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: steward.sessionId, residentId: stewardId, boundAt: since } });
  }, 60_000);
  afterAll(() => t?.close());

  it('offers, passes a decline and a timeout on, and the third member accepts and works through their day', async () => {
    const leak = await fileRepairIn(t.app, reporterId, { homeWindows: [{ from: '2026-12-08T06:00:00Z', to: '2026-12-08T10:00:00Z' }] });
    const first = await offeredTo(leak.number);
    expect(first.message.text).toContain('漏水｜团结巷3号院1号');
    expect(first.message.text).toContain('有人在家：');
    expect(first.message.choices?.map((c) => c.label)).toEqual(['✅接单', '❌不接']);

    // Someone else's press of the button is refused and changes nothing.
    const other = members.find((m) => m !== first.member)!;
    const [refused] = await turn(other.person, () => other.person.press(button(first.message, '接单')), 1);
    expect(refused!.text).toContain('按钮已经失效');

    const [declined] = await press(first.member.person, first.message, '不接');
    expect(declined!.text).toContain(`${leak.number}已转给其他队员`);
    const second = await offeredTo(leak.number, [first.member.residentId]);
    // Nobody answers: ten minutes pass (the offer's time moved to the past), its delayed job runs, and it goes to the last plumber.
    const open = await prisma().dispatchOffer.findFirstOrThrow({ where: { workOrderId: leak.workOrderId, status: 'open' } });
    await prisma().dispatchOffer.update({ where: { id: open.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const timeout = await waitFor(() => t.app.queues.queue(QueueNames.dispatchOffers).getJob(jobIds['dispatch-offers']({ offerId: open.id })), 'the offer’s delayed job');
    await timeout.promote();
    const third = await offeredTo(leak.number, [first.member.residentId, second.member.residentId]);
    // The run-out notice and the next offer go to different chats, so either may arrive first.
    await waitFor(async () => (await last(second.member.person))?.text.includes('已超时'), 'the run-out notice to the second member');

    const [accepted, day] = await press(third.member.person, third.message, '接单', 2);
    expect(accepted!.text).toContain(`您已接下${leak.number}`);
    expect(day!.text).toContain('您手上有1项任务');
    const order = await prisma().workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId }, include: { offers: { orderBy: { offeredAt: 'asc' } } } });
    expect(order.status).toBe('accepted');
    expect(order.memberId).toBe(third.member.residentId);
    expect(order.offers.map((o) => o.status)).toEqual(['declined', 'expired', 'accepted']);

    const [job] = await press(third.member.person, day, leak.number);
    const [going, dayAgain] = await press(third.member.person, job, '出发', 2);
    expect(going!.text).toContain('正在路上');
    expect(dayAgain!.text).toContain('在路上');
    expect((await prisma().workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } })).status).toBe('on_the_way');

    const [jobAgain] = await press(third.member.person, dayAgain, leak.number);
    const [askWork] = await press(third.member.person, jobAgain, '完成');
    expect(askWork!.text).toContain('做了什么');
    const [askMaterials] = await say(third.member.person, '更换了厨房水管接头');
    expect(askMaterials!.text).toContain('材料');
    await say(third.member.person, '水管接头一个');
    await say(third.member.person, '12.5');
    const [askPhoto] = await say(third.member.person, '0');
    expect(askPhoto!.text).toContain('照片');
    const [review] = await turn(third.member.person, () => third.member.person.send({ kind: 'photo', photo: { ref: 'web/after-1.jpg' } }), 1);
    expect(review!.text).toContain('维修内容：更换了厨房水管接头');
    expect(review!.text).toContain('材料费：12.5元');
    const [done] = await press(third.member.person, review, '确认', 2);
    expect(done!.text).toContain('已记录完成');
    const record = await prisma().workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } });
    expect(record).toMatchObject({ status: 'done', workDone: '更换了厨房水管接头', feeCents: 0, afterPhotos: ['web/after-1.jpg'] });
    expect(record.materials).toEqual([{ name: '水管接头一个', quantity: 1, costCents: 1250 }]);
  });

  it('keeps an away member out of offers until they are back, and gives an emergency to every plumber with one holder', async () => {
    const away = members[0]!;
    const [day] = await say(away.person, '我的任务');
    const [awayOk] = await press(away.person, day, '暂停接单');
    expect(awayOk!.text).toContain('已暂停接单');

    const gas = await fileRepairIn(t.app, reporterId, { emergency: true });
    const others = members.filter((m) => m !== away);
    for (const member of others) await waitFor(async () => ((await last(member.person))?.text.includes(gas.number) ? true : undefined), 'the emergency offer');
    expect((await last(away.person))?.text).not.toContain(gas.number);
    const offers = await prisma().dispatchOffer.findMany({ where: { workOrderId: gas.workOrderId } });
    expect(offers.map((o) => o.memberId).sort()).toEqual(others.map((m) => m.residentId).sort());

    const messages = await Promise.all(others.map((m) => last(m.person)));
    await Promise.all(others.map((m, i) => m.person.press(button(messages[i], '接单'))));
    const order = await waitFor(async () => {
      const row = await prisma().workOrder.findUniqueOrThrow({ where: { id: gas.workOrderId }, include: { offers: true } });
      // The row and its offers are two reads: an accept may commit between them, so wait for both.
      return row.status !== 'offered' && row.offers.every((o) => o.status !== 'open') ? row : undefined;
    }, 'every offer answered');
    expect(order.status).toBe('accepted');
    expect(order.offers.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(order.offers.find((o) => o.status === 'accepted')!.memberId).toBe(order.memberId);

    const [backDay] = await say(away.person, '我的任务');
    await press(away.person, backDay, '恢复接单', 2);
    expect((await prisma().serviceMember.findUniqueOrThrow({ where: { residentId: away.residentId } })).awaySince).toBeNull();
  });

  it('a member holding more jobs than one question can list still takes the next, and sees the first ones and how many more', async () => {
    // Nobody on the team does masonry yet: these wait for staff, who hand all twenty to the new mason.
    const walls = [];
    for (let i = 0; i < 20; i++) walls.push(await fileRepairIn(t.app, reporterId, { job: 'masonry' }));
    const mason = await prisma().resident.create({ data: { communityId: t.app.communityId, name: '石师傅' } });
    await prisma().roleAssignment.create({ data: { communityId: t.app.communityId, residentId: mason.id, role: 'service_team', skills: ['masonry'], startsOn: new Date(Date.now() - DAY) } });
    const person = new WebPerson(t.app);
    await prisma().chatAccount.create({ data: { communityId: t.app.communityId, channel: 'web', externalId: person.sessionId, residentId: mason.id, boundAt: new Date() } });
    await prisma().workOrder.updateMany({ where: { id: { in: walls.map((w) => w.workOrderId) } }, data: { status: 'accepted', memberId: mason.id, acceptedAt: new Date() } });

    const crack = await fileRepairIn(t.app, reporterId, { job: 'masonry' });
    const offer = await waitFor(async () => ((await last(person))?.text.includes(crack.number) ? last(person) : undefined), 'the offer to the mason');
    const [accepted, day] = await press(person, offer, '接单', 2);
    expect(accepted!.text).toContain(`您已接下${crack.number}`);
    expect(day!.text).toContain('您手上有21项任务');
    expect(day!.text).toContain('另有3项排在后面');
    expect(day!.choices?.filter((c) => c.label.startsWith('BX-'))).toHaveLength(18);
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: crack.workOrderId } })).toMatchObject({ status: 'accepted', memberId: mason.id });

    // Typed again later, the day is the same: a long day never fails.
    const [again] = await say(person, '我的任务');
    expect(again!.text).toContain('您手上有21项任务');
  });

  it('with the resident on the other side: 报修 in chat, offered, taken, on the way, done, and "fixed"', async () => {
    const resident = new WebPerson(t.app);
    await prisma().chatAccount.create({ data: { communityId: t.app.communityId, channel: 'web', externalId: resident.sessionId, residentId: reporterId, boundAt: new Date() } });
    const [menu] = await say(resident, '你好');
    const [danger] = await press(resident, menu, '报修');
    const [kind] = await press(resident, danger, '都没有');
    const [describe] = await press(resident, kind, '漏水');
    expect(describe!.text).toContain('请说说具体情况');
    const [where] = await say(resident, '卫生间水管接头一直在滴水');
    const [photo] = await press(resident, where, '就在家里');
    const [when] = await press(resident, photo, '跳过');
    const [summary] = await press(resident, when, '随时都有人');
    const [filed] = await press(resident, summary, '确认', 2);
    // A plumber could be offered it within the filing: the reply says one is being found.
    expect(filed!.text).toContain('正在为您安排师傅');
    const number = /BX-\d{4}-\d{5}/.exec(filed!.text)![0];

    const offer = await offeredTo(number);
    await press(offer.member.person, offer.message, '接单', 2);
    const taken = await waitFor(async () => (await resident.received()).find((m) => m.text.includes(`【${number}】`) && m.text.includes('已接单')), 'the resident told who took it');
    expect(taken.text).toContain(`${offer.member.name.slice(0, 1)}师傅已接单`);

    const [day] = await say(offer.member.person, '我的任务');
    const [job] = await press(offer.member.person, day, number);
    await press(offer.member.person, job, '出发', 2);
    await waitFor(async () => ((await resident.received()).some((m) => m.text.includes(`【${number}】`) && m.text.includes('已出发')) ? true : undefined), 'the resident told they are on the way');

    const [dayAgain] = await say(offer.member.person, '我的任务');
    const [jobAgain] = await press(offer.member.person, dayAgain, number);
    await press(offer.member.person, jobAgain, '完成');
    await say(offer.member.person, '更换了卫生间水管接头');
    await say(offer.member.person, '水管接头');
    await say(offer.member.person, '15');
    await say(offer.member.person, '15');
    const [review] = await press(offer.member.person, (await offer.member.person.received()).at(-1), '跳过');
    await press(offer.member.person, review, '确认', 2);
    const done = await waitFor(async () => (await resident.received()).find((m) => m.text.includes(`【${number}】`) && m.text.includes('已完工')), 'the resident told it is done');
    expect(done.text).toContain('做了什么：更换了卫生间水管接头');
    const [stars] = await press(resident, done, '修好了');
    expect(stars!.text).toContain('您对这次维修满意吗');
    const order = await prisma().workOrder.findFirstOrThrow({ where: { ticket: { number } } });
    expect(order).toMatchObject({ status: 'confirmed', memberId: offer.member.residentId, feeCents: 1500 });
  });

  // PostgreSQL only: the embedded database has one connection, so nothing else can hold the lock meanwhile.
  it.runIf(target === 'postgres')('files a repair at once while another dispatch holds the community’s lock, and offers it as soon as that one ends', async () => {
    const url = t.app.database.postgres!.connectionString;
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dispatch:${t.app.communityId}`]);
      // The filing commits while the lock is held: the resident has their number without waiting on the team.
      const leak = await fileRepairIn(t.app, reporterId);
      const filed = await prisma().workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId }, include: { offers: true } });
      expect(filed.status).toBe('received');
      expect(filed.offers).toEqual([]);
      await other.query('COMMIT');
      const offered = await offeredTo(leak.number);
      expect(offered.message.choices?.map((c) => c.label)).toEqual(['✅接单', '❌不接']);
      expect(await prisma().dispatchOffer.count({ where: { workOrderId: leak.workOrderId, status: 'open' } })).toBe(1);
    } finally {
      await other.end();
    }
  });
});
