/**
 * A resident's repair over Telegram (real telegraf against the fake Bot API: buttons) and WeChat
 * (real wechaty with the mock puppet: numbered replies), through the whole app on a fake clock
 * (09:00 Beijing), for a priority household (elderly, disabled: 4 hours, free). The team's side is
 * a stand-in for dispatch moving the work order as dispatch does. Each journey: the request, the
 * BX number and expected time; an offer declined, one timed out, one accepted, on the way, done —
 * the resident told each step once; "not fixed" with words; done again, "fixed" and a rating. Over
 * Telegram also the emergency path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { mock } from 'wechaty-puppet-mock';
import type { ContactMock } from '../channels/wechat/wechat-harness.js';
import type { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { shownAt, startRepairClock, stopRepairClock } from '../features/repairs/support/repair-clock.js';
import { StandInDispatch } from '../features/repairs/support/stand-in-dispatch.js';
import { startForumInbox, TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { STAFF_ROOM, wechatStaffRoom } from '../inbox/wechat-staff-room.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { TelegramChat, textOf, WeChatChat } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';

const FAST = { ...TEST_PACING, FLOOD_MAX_MESSAGES: '1000' };
const NUMBER = /报修单号(BX-\d{4}-\d{5})/;

/** Three members of the service team (plumbing, heating, drains), for the stand-in's offers. */
async function seedTeam(t: TestApp, start: Date): Promise<[string, string, string]> {
  const prisma = t.app.database.prisma;
  const ids: string[] = [];
  for (const name of ['郑水暖', '冯电工', '陈师傅']) {
    const member = await prisma.resident.create({ data: { communityId: t.app.communityId, name } });
    await prisma.roleAssignment.create({
      data: { communityId: t.app.communityId, residentId: member.id, role: 'service_team', skills: ['plumbing', 'heating', 'drains'], startsOn: new Date(start.getTime() - 86_400_000) },
    });
    ids.push(member.id);
  }
  return ids as [string, string, string];
}

const workOrderOf = (t: TestApp, number: string) =>
  t.app.database.prisma.workOrder.findFirstOrThrow({ where: { communityId: t.app.communityId, ticket: { number } }, include: { ticket: true } });

describe.each(databaseTargets())('a resident’s repair over the chats on %s', (target) => {
  let start: Date;
  beforeAll(() => {
    start = startRepairClock();
  });
  afterAll(() => stopRepairClock());

  describe('over Telegram, with buttons', () => {
    let telegram: FakeTelegramBotApi;
    let t: TestApp;
    let people: InboxPeople;
    let resident: TelegramChat;
    let team: StandInDispatch;
    let members: [string, string, string];
    let number = '';
    let workOrderId = '';

    beforeAll(async () => {
      ({ telegram, t, people } = await startForumInbox(target, { FLOOD_MAX_MESSAGES: FAST.FLOOD_MAX_MESSAGES }));
      resident = new TelegramChat(telegram, telegram.createUser({ language_code: 'zh-hans' }));
      await bindAccount(t.app.database.prisma, t.app.communityId, 'telegram', String(resident.user.id), people.residentId);
      members = await seedTeam(t, start);
      team = new StandInDispatch(t.app.database.prisma, t.app.events, () => new Date(), t.app.outbox);
    }, 90_000);
    afterAll(async () => {
      await t?.close();
      await telegram?.close();
    });

    it('files a repair by pressing buttons; a priority household is expected within 4 hours', async () => {
      const [danger] = await resident.says('报修');
      expect(textOf(danger!)).toBe('先确认安全：现在有没有下面这些危险情况？');
      const [kind] = await resident.presses('都没有');
      expect(textOf(kind!)).toBe('哪里坏了？');
      await resident.presses('暖气不热');
      const [where] = await resident.says('暖气片一直不热，家里很冷');
      expect(textOf(where!)).toBe('在哪里？');
      await resident.presses('就在家里');
      const [when] = await resident.presses('跳过');
      expect(textOf(when!)).toContain('什么时候家里有人');
      const [summary] = await resident.presses('随时都有人');
      expect(textOf(summary!)).toContain('哪里坏了：暖气');
      expect(textOf(summary!)).toContain('在家时间：随时都有人');
      const [done, menu] = await resident.presses('确认', 2);
      number = NUMBER.exec(textOf(done!))?.[1] ?? '';
      expect(number, textOf(done!)).not.toBe('');
      expect(textOf(done!)).toContain(`预计${shownAt(start, 0, 13)}前上门`);
      expect(textOf(menu!)).toContain('请选择您要办理的事项');
      const order = await workOrderOf(t, number);
      expect(order).toMatchObject({ job: 'heating', skill: 'heating', priority: true, emergency: false });
      workOrderId = order.id;
    });

    it('is told each step once, and the done notice is free with two buttons', async () => {
      const [zheng, feng, chen] = members;
      await team.offer(workOrderId, zheng);
      const [asked] = await resident.next();
      expect(textOf(asked!)).toBe(`【${number}】正在联系师傅，接单后马上告诉您。`);
      await team.decline(workOrderId, zheng);
      await team.offer(workOrderId, feng);
      await team.expire(workOrderId, feng);
      await team.offer(workOrderId, chen);
      await team.accept(workOrderId, chen);
      const [accepted] = await resident.next();
      expect(textOf(accepted!)).toMatch(new RegExp(`^【${number}】陈师傅已接单（.+），预计${shownAt(start, 0, 13)}前上门。$`));
      await team.onTheWay(workOrderId, chen);
      const [onTheWay] = await resident.next();
      expect(textOf(onTheWay!)).toContain('陈师傅已出发');
      await team.done(workOrderId, chen, { workDone: '暖气片放气，更换阀门', materials: [{ name: '阀门', quantity: 1, costCents: 3500 }] });
      const [done] = await resident.next();
      expect(textOf(done!)).toContain('用料：阀门×1（¥35.00）\n费用：免费');
      expect(done!.keyboard!.flat().map((b) => b.text)).toEqual(['✅ 修好了', '❌ 没修好']);
      expect(resident.unread()).toEqual([]);
    });

    it('“not fixed” by button with words; done again, “fixed” by button and a rating with a comment', async () => {
      const [ask] = await resident.presses('没修好');
      expect(textOf(ask!)).toContain(`报修单${number}哪里还有问题`);
      const [sent] = await resident.says('还是不热，只有上半截热', 2);
      expect(textOf(sent!)).toBe(`已转告陈师傅，报修单${number}会由他再来处理，有进展会在这里告诉您。`);
      expect(await workOrderOf(t, number)).toMatchObject({ status: 'accepted', memberId: members[2], returns: 1 });

      await team.done(workOrderId, members[2], { workDone: '冲洗了暖气片' });
      const [again] = await resident.next();
      expect(textOf(again!)).toContain('费用：免费');
      const [stars] = await resident.presses('修好了');
      expect(textOf(stars!)).toContain('您对这次维修满意吗');
      await resident.presses('⭐⭐⭐⭐ 满意');
      await resident.presses('写一句评价');
      const [thanks] = await resident.says('师傅很负责', 2);
      expect(textOf(thanks!)).toBe(`谢谢您的评价！报修单${number}的评价已记录。`);
      const order = await workOrderOf(t, number);
      expect(order.status).toBe('confirmed');
      expect(order.ticket).toMatchObject({ status: 'resolved', rating: 4, solved: true });
    });

    it('the emergency path: the power company first for sparking, filed as an emergency', async () => {
      await resident.says('报修');
      const [numbers, describe] = await resident.presses('电线冒火花', 2);
      expect(textOf(numbers!)).toContain('供电抢修：95598\n火警：119\n急救：120\n报警：110');
      expect(textOf(describe!)).toContain('请用一句话说说是什么情况');
      const [filed] = await resident.says('卧室插座冒火花，已拉闸', 2);
      // No electrician on the stand-in team: dispatch finds nobody, and staff arrange it at once.
      expect(textOf(filed!)).toContain('已转给社区工作人员紧急安排');
      const emergency = await t.app.database.prisma.workOrder.findFirstOrThrow({ where: { communityId: t.app.communityId, emergency: true } });
      expect(emergency).toMatchObject({ job: 'power', skill: 'electrical', status: 'unassigned' });
      expect(emergency.expectedBy!.getTime() - emergency.createdAt.getTime()).toBe(2 * 3_600_000);
    });
  });

  describe('over WeChat, with numbered replies', () => {
    let t: TestApp;
    let people: InboxPeople;
    let mocker: mock.Mocker;
    let bot: ContactMock;
    let resident: WeChatChat;
    let team: StandInDispatch;
    let members: [string, string, string];
    let number = '';
    let workOrderId = '';

    beforeAll(async () => {
      const staffRoom = wechatStaffRoom(['李主任']);
      ({ mocker, bot } = staffRoom);
      t = await startTestApp(target, { ...FAST, WECHAT_STAFF_ROOM: STAFF_ROOM }, undefined, { serve: true, wechatPuppet: staffRoom.puppet });
      people = await seedInboxPeople(t.app.database.prisma, t.app.communityId);
      resident = new WeChatChat(mocker.createContact({ name: '王秀英', avatar: '' }), bot);
      await bindAccount(t.app.database.prisma, t.app.communityId, 'wechat', resident.contact.id, people.residentId);
      members = await seedTeam(t, start);
      team = new StandInDispatch(t.app.database.prisma, t.app.events, () => new Date(), t.app.outbox);
      mocker.login(bot);
      await waitFor(async () => ((await t.app.database.prisma.boundChat.findFirst({ where: { purpose: 'staff', channel: 'wechat' } })) ? true : undefined), 'the WeChat staff room to be bound');
    }, 90_000);
    afterAll(() => t?.close());

    it('files a repair by typing the numbers; a home window after the 4 hours sets the expected time', async () => {
      const [danger] = await resident.says('报修');
      expect(danger).toMatch(/^1\. /m);
      await resident.says(resident.numberOf('都没有'));
      await resident.says(resident.numberOf('下水道堵塞'));
      await resident.says('厨房下水道堵了，水下不去');
      await resident.says(resident.numberOf('就在家里'));
      const [when] = await resident.says('跳过');
      expect(when).toContain('明天08:00–12:00');
      const [summary] = await resident.says(resident.numberOf('明天08:00–12:00'));
      expect(summary).toContain('在家时间：');
      const [done] = await resident.says('确认', 2);
      number = NUMBER.exec(done!)?.[1] ?? '';
      expect(number, done).not.toBe('');
      // 4 hours would be 13:00 today, but nobody is home before tomorrow 08:00: by its end, 12:00.
      expect(done).toContain(`预计${shownAt(start, 1, 12)}前上门`);
      workOrderId = (await workOrderOf(t, number)).id;
    });

    it('is told each step; answers “not fixed” and then “fixed” by the notice’s numbers, and rates by typing', async () => {
      const [zheng, , chen] = members;
      await team.offer(workOrderId, zheng);
      expect((await resident.next())[0]).toBe(`【${number}】正在联系师傅，接单后马上告诉您。`);
      await team.decline(workOrderId, zheng);
      await team.offer(workOrderId, chen);
      await team.accept(workOrderId, chen);
      expect((await resident.next())[0]).toContain('陈师傅已接单');
      await team.done(workOrderId, chen, { workDone: '疏通了下水管' });
      const [done] = await resident.next();
      expect(done).toContain(`没修好请回复“没修好 ${number}”`);
      expect(done).toMatch(/^1\. ✅ 修好了$/m);
      expect(done).toMatch(/^2\. ❌ 没修好$/m);

      const [ask] = await resident.says(resident.numberOf('没修好'));
      expect(ask).toContain(`报修单${number}哪里还有问题`);
      const [sent] = await resident.says('水还是下得很慢', 2);
      expect(sent).toContain('已转告陈师傅');
      expect(await workOrderOf(t, number)).toMatchObject({ status: 'accepted', returns: 1 });

      await team.done(workOrderId, chen, { workDone: '用管道机彻底疏通' });
      await resident.next();
      const [stars] = await resident.says(resident.numberOf('修好了'));
      expect(stars).toContain('您对这次维修满意吗');
      await resident.says(resident.numberOf('非常满意'));
      const [thanks] = await resident.says(resident.numberOf('不用了，提交'), 2);
      expect(thanks).toBe(`谢谢您的评价！报修单${number}的评价已记录。`);
      const order = await workOrderOf(t, number);
      expect(order.status).toBe('confirmed');
      expect(order.ticket).toMatchObject({ status: 'resolved', rating: 5 });
    });
  });
});
