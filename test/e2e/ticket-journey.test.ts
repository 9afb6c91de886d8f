/**
 * One ticket's whole journey, from the resident's own chat to the staff chat and back, through the
 * whole app on real databases. Over Telegram (real telegraf against the fake Bot API) a resident
 * files by pressing the complaint flow's buttons, staff in a forum staff group claim it by button,
 * reply in its topic and resolve it; the resident gets each reply, rates it through the rating
 * flow and reopens it with a message; a neighbour can neither see it nor act on it, not even by
 * replaying the resident's buttons. Over WeChat (real wechaty with the mock puppet) a resident files
 * once by typing the choices' numbers and once by their words; in the staff room staff answer with
 * `#<n> …`, merge the second ticket into the first and resolve with `/resolve #<n> …`; the resident
 * gets each of these and rates by typing, and a neighbour cannot see the ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import type { ContactMock, RoomMock, SeenMessage } from '../channels/wechat/wechat-harness.js';
import { STAFF_ROOM, wechatStaffRoom } from '../inbox/wechat-staff-room.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { startForumInbox, TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { TelegramChat, textOf, WeChatChat } from '../support/private-chats.js';

/**
 * Telegram and WeChat paced for tests (as in staff-inbox.test.ts); a resident here types a whole
 * filing, a rating and more within seconds, which the flood limit would otherwise slow down.
 */
const FAST = { ...TEST_PACING, FLOOD_MAX_MESSAGES: '1000' };
const NUMBER = /工单编号(MQ-\d{4}-\d{5})/;
const BUTTON_INVALID = '这个按钮已经失效了';
const NOT_FOUND = '在您的工单里没有找到这个编号。';

describe.each(databaseTargets())('a ticket’s journey between a resident’s chat and the staff chat on %s', (target) => {
  describe('over Telegram, with a forum staff group', () => {
    let telegram: FakeTelegramBotApi;
    let t: TestApp;
    let people: InboxPeople;
    let forum: FakeChat;
    let resident: TelegramChat;
    let neighbour: TelegramChat;
    let steward: FakeUser;
    let number = '';
    let card: SentMessage;
    let fourStars = { messageId: 0, data: '' };
    const prisma = () => t.app.database.prisma;
    const ticket = () => prisma().ticket.findFirstOrThrow({ where: { communityId: t.app.communityId, number } });
    const inTopic = (match: (text: string) => boolean, what: string) =>
      waitFor(() => telegram.sentTo(forum).find((m) => m.threadId === card.threadId && match(textOf(m))), what);

    beforeAll(async () => {
      ({ telegram, forum, t, people } = await startForumInbox(target, { FLOOD_MAX_MESSAGES: FAST.FLOOD_MAX_MESSAGES }));
      resident = new TelegramChat(telegram, telegram.createUser({ language_code: 'zh-hans' }));
      neighbour = new TelegramChat(telegram, telegram.createUser({ language_code: 'zh-hans' }));
      steward = telegram.createUser({ language_code: 'zh-hans' });
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(resident.user.id), people.residentId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(neighbour.user.id), people.neighbourId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(steward.id), people.stewardId);
    }, 90_000);

    afterAll(async () => {
      await t?.close();
      await telegram?.close();
    });

    it('files a complaint by pressing the flow’s buttons and typing the description; the card opens a topic', async () => {
      const [menu] = await resident.says('你好');
      expect(textOf(menu!)).toContain('请选择您要办理的事项');
      const [kind] = await resident.presses('投诉或建议');
      expect(textOf(kind!)).toContain('您想反映的是');
      await resident.presses('投诉');
      const [description] = await resident.presses('环境卫生');
      expect(textOf(description!)).toContain('请说说具体情况');
      const [where] = await resident.says('垃圾站三天没有清运，气味很大');
      expect(textOf(where!)).toContain('在哪里');
      const [photo] = await resident.presses('就在家附近');
      expect(textOf(photo!)).toContain('有照片吗');
      await resident.presses('跳过');
      const [publish] = await resident.presses('不用隐去');
      // The open data feed: the words only with the resident's yes (the default answer first).
      expect(textOf(publish!)).toContain('您写的内容和地点也可以一并公开吗');
      expect(publish!.keyboard!.flat().map((b) => b.text)).toEqual(['不公开内容', '可以公开']);
      const [summary] = await resident.presses('可以公开');
      expect(textOf(summary!)).toContain('内容：垃圾站三天没有清运，气味很大');
      expect(textOf(summary!)).toContain('内容和地点在社区公开数据中公开：是');
      const [done, backToMenu] = await resident.presses('确认', 2);
      number = NUMBER.exec(textOf(done!))?.[1] ?? '';
      expect(number, textOf(done!)).not.toBe('');
      expect(textOf(done!)).toContain(`发送“工单 ${number}”`);
      expect(textOf(backToMenu!)).toContain('请选择您要办理的事项');
      expect(await ticket()).toMatchObject({ status: 'new', category: 'environment_sanitation', reporterId: people.residentId, householdId: people.householdId, publishText: true });

      card = await waitFor(() => telegram.sentTo(forum).find((m) => textOf(m).includes(number) && m.keyboard), 'the card in the forum');
      expect(card.threadId).toBeDefined();
      expect(telegram.world.topic(forum.id, card.threadId!)?.name).toBe(`${number}｜环境卫生`);
      expect(textOf(card)).toContain('王秀英');
      expect(textOf(card)).toContain('垃圾站三天没有清运');
    });

    it('staff claim by button, reply in the topic and resolve; the resident gets the reply, the resolution and one rating question', async () => {
      const claim = card.keyboard!.flat().find((b) => b.text.includes('认领'))!;
      const callbackId = telegram.userPresses(forum, steward, card.messageId, claim.callback_data!);
      await inTopic((text) => text.includes('张网格认领了此事项'), 'the claim line in the topic');
      expect(telegram.callback(callbackId)?.answered).toBeDefined();
      expect(await ticket()).toMatchObject({ status: 'in_progress', assigneeId: people.stewardId });

      telegram.userSays(forum, steward, '您好，明天上午安排清运。', { threadId: card.threadId! });
      const [reply] = await resident.next();
      expect(textOf(reply!)).toContain(`【${number}】社区工作人员回复`);
      expect(textOf(reply!)).toContain('您好，明天上午安排清运。');

      telegram.userSays(forum, steward, '/resolve 垃圾已清运，并加派了每日巡查。', { threadId: card.threadId! });
      const [resolved, rate] = await resident.next(2);
      expect(textOf(resolved!)).toContain(`【${number}】已办结：\n垃圾已清运，并加派了每日巡查。`);
      expect(textOf(rate!)).toContain(`回复“评价 ${number}”`);
      await waitFor(() => (telegram.world.topic(forum.id, card.threadId!)?.closed ? true : undefined), 'the topic to close');
      expect(await ticket()).toMatchObject({ status: 'resolved', resolvedById: people.stewardId });
    });

    it('the resident rates 4 stars with a comment through the rating flow; the topic gets a line', async () => {
      const [stars] = await resident.says(`评价 ${number}`);
      expect(textOf(stars!)).toContain(`工单${number}已办结`);
      const four = resident.button('⭐⭐⭐⭐ 满意');
      fourStars = { messageId: four.message.messageId, data: four.data };
      const [solved] = await resident.presses('⭐⭐⭐⭐ 满意');
      expect(textOf(solved!)).toContain('问题解决了吗');
      await resident.presses('解决了');
      const [comment] = await resident.presses('写一句评价');
      expect(textOf(comment!)).toContain('请输入您的评价');
      const [thanks] = await resident.says('清运及时，谢谢网格员', 2);
      expect(textOf(thanks!)).toContain(`工单${number}的评价已记录`);
      const row = await ticket();
      expect(row).toMatchObject({ rating: 4, solved: true, ratedResolution: 1 });
      const rated = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: row.id, kind: 'rated' } });
      expect(rated).toMatchObject({ actorId: people.residentId, text: '清运及时，谢谢网格员' });
      await inTopic((text) => text.includes(`${number}：居民评价4星`), 'the rating line in the topic');
    });

    it('a message about the ticket within 7 days reopens it; the topic reopens with a line', async () => {
      const [view] = await resident.says(`工单 ${number}`);
      expect(textOf(view!)).toContain('状态：已办结');
      expect(textOf(view!)).toContain('垃圾已清运，并加派了每日巡查。');
      await resident.presses('问题没解决');
      const [reopened, again] = await resident.says('今天垃圾站又堆满了', 2);
      expect(textOf(reopened!)).toContain(`工单${number}已重新打开，状态：处理中`);
      expect(textOf(again!)).toContain('状态：处理中');
      expect(await ticket()).toMatchObject({ status: 'in_progress', reopenCount: 1, resolvedAt: null });
      // The staff are told it was reopened, with the resident's words, in the topic, which opens again.
      await inTopic((text) => text.includes(`${number}居民表示问题没有解决，已重新打开（处理中）：今天垃圾站又堆满了`), 'the reopening line in the topic');
      await waitFor(() => (telegram.world.topic(forum.id, card.threadId!)?.closed === false ? true : undefined), 'the topic to reopen');
      const thread = await prisma().staffThread.findFirstOrThrow({ where: { ticketId: (await ticket()).id } });
      expect(thread.closed).toBe(false);
    });

    it('a second resident can neither see the ticket nor act on it, not even with the first one’s buttons', async () => {
      const row = await ticket();
      const eventsBefore = await prisma().ticketEvent.count({ where: { ticketId: row.id } });
      const [none] = await neighbour.says('我的工单');
      expect(textOf(none!)).toBe('您还没有工单。要登记一件吗？');
      const [notFound, askNumber] = await neighbour.says(`工单 ${number}`, 2);
      expect(textOf(notFound!)).toBe(NOT_FOUND);
      expect(textOf(askNumber!)).toContain('请输入工单编号');
      const [rate] = await neighbour.says(`评价 ${number}`, 2);
      expect(textOf(rate!)).toBe(NOT_FOUND);

      // The resident's own buttons, replayed from the neighbour's chat: the withdraw button of the
      // ticket's view, the same with its tag forged, and the old star button.
      const withdraw = resident.button('撤回工单');
      const forged = withdraw.data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA');
      const presses = [
        neighbour.pressesData(withdraw.message.messageId, withdraw.data),
        neighbour.pressesData(withdraw.message.messageId, forged),
        neighbour.pressesData(fourStars.messageId, fourStars.data),
      ];
      const refusals = await neighbour.next(3);
      for (const refusal of refusals) expect(textOf(refusal)).toContain(BUTTON_INVALID);
      for (const id of presses) expect(telegram.callback(id)?.answered).toBeDefined();

      await whenQuiet(prisma());
      expect(resident.unread()).toEqual([]);
      expect(neighbour.unread()).toEqual([]);
      expect(await ticket()).toMatchObject({ status: 'in_progress', rating: 4, reopenCount: 1 });
      expect(await prisma().ticketEvent.count({ where: { ticketId: row.id } })).toBe(eventsBefore);
      expect(await prisma().ticketEvent.count({ where: { ticketId: row.id, actorId: people.neighbourId } })).toBe(0);
    });
  });

  describe('over WeChat, with a staff room', () => {
    let t: TestApp;
    let people: InboxPeople;
    let mocker: mock.Mocker;
    let bot: ContactMock;
    let chair: ContactMock;
    let resident: WeChatChat;
    let neighbour: WeChatChat;
    let room: RoomMock;
    let roomSeen: SeenMessage[];
    let first = '';
    let firstRef = '';
    let second = '';
    let secondRef = '';
    const prisma = () => t.app.database.prisma;
    const ticket = (number: string) => prisma().ticket.findFirstOrThrow({ where: { communityId: t.app.communityId, number } });
    const inRoom = () => roomSeen.filter((m) => m.payload.talkerId === bot.id).map((m) => m.payload.text ?? '');

    beforeAll(async () => {
      const staffRoom = wechatStaffRoom(['李主任']);
      ({ mocker, bot, room, seen: roomSeen } = staffRoom);
      chair = staffRoom.members[0]!;
      const puppet = staffRoom.puppet;
      t = await startTestApp(target, { ...FAST, WECHAT_STAFF_ROOM: STAFF_ROOM }, undefined, { serve: true, wechatPuppet: puppet });
      people = await seedInboxPeople(prisma(), t.app.communityId);
      resident = new WeChatChat(mocker.createContact({ name: '王秀英', avatar: '' }), bot);
      neighbour = new WeChatChat(mocker.createContact({ name: '赵小明', avatar: '' }), bot);
      await bindAccount(prisma(), t.app.communityId, 'wechat', resident.contact.id, people.residentId);
      await bindAccount(prisma(), t.app.communityId, 'wechat', neighbour.contact.id, people.neighbourId);
      await bindAccount(prisma(), t.app.communityId, 'wechat', chair.id, people.chairId);
      mocker.login(bot);
      await waitFor(async () => ((await prisma().boundChat.findFirst({ where: { purpose: 'staff', channel: 'wechat' } })) ? true : undefined), 'the WeChat staff room to be bound');
    }, 90_000);

    afterAll(() => t?.close());

    it('files a complaint by typing the numbers of the choices; the staff room gets the card', async () => {
      const [menu] = await resident.says('你好');
      expect(menu).toContain('请选择您要办理的事项');
      expect(menu).toMatch(/^1\. /m);
      const [kind] = await resident.says(resident.numberOf('投诉或建议'));
      expect(kind).toContain('您想反映的是');
      const [category] = await resident.says(resident.numberOf('投诉'));
      expect(category).toContain('属于哪一类');
      const [description] = await resident.says(resident.numberOf('水电道路'));
      expect(description).toContain('请说说具体情况');
      const [where] = await resident.says('小区门口的路灯一直不亮');
      expect(where).toContain('在哪里');
      const [photo] = await resident.says(resident.numberOf('就在家附近'));
      expect(photo).toContain('有照片吗');
      const [anonymous] = await resident.says('跳过');
      expect(anonymous).toContain('要对其他居民隐去您的姓名吗');
      const [publish] = await resident.says(resident.numberOf('不用隐去'));
      expect(publish).toContain('您写的内容和地点也可以一并公开吗');
      const [summary] = await resident.says(resident.numberOf('不公开内容'));
      expect(summary).toContain('内容和地点在社区公开数据中公开：否');
      expect(summary).toContain('类别：水电道路');
      expect(summary).toContain('内容：小区门口的路灯一直不亮');
      const [done, backToMenu] = await resident.says('确认', 2);
      first = NUMBER.exec(done!)?.[1] ?? '';
      expect(first, done).not.toBe('');
      expect(backToMenu).toContain('请选择您要办理的事项');
      expect(await ticket(first)).toMatchObject({ status: 'new', category: 'utilities_roads', reporterId: people.residentId });

      const card = await waitFor(() => inRoom().find((m) => m.includes(first)), 'the card in the staff room');
      expect(card).toContain('小区门口的路灯一直不亮');
      firstRef = /\/claim (#\d+)/.exec(card)?.[1] ?? '';
      expect(firstRef, card).not.toBe('');
    });

    it('files the same problem again by typing the words of the choices', async () => {
      const [kind] = await resident.says('投诉');
      expect(kind).toContain('您想反映的是');
      await resident.says('投诉');
      await resident.says('水电道路');
      await resident.says('门口路灯还是不亮，晚上很黑');
      await resident.says('就在家附近');
      await resident.says('跳过');
      await resident.says('不用隐去');
      const [summary] = await resident.says('不公开内容');
      expect(summary).toContain('内容：门口路灯还是不亮，晚上很黑');
      const [done] = await resident.says('确认', 2);
      second = NUMBER.exec(done!)?.[1] ?? '';
      expect(second, done).not.toBe('');
      expect(second).not.toBe(first);
      const card = await waitFor(() => inRoom().find((m) => m.includes(second)), 'the second card in the staff room');
      secondRef = /\/claim (#\d+)/.exec(card)?.[1] ?? '';
      expect(secondRef, card).not.toBe('');
    });

    it('staff reply with #<n>, merge the second into the first and resolve with /resolve #<n>; the resident gets each and rates by typing', async () => {
      chair.say(`${firstRef} 今晚电工来修`).to(room);
      const [reply] = await resident.next();
      expect(reply).toContain(`【${first}】社区工作人员回复`);
      expect(reply).toContain('今晚电工来修');

      chair.say(`/merge ${secondRef} ${firstRef}`).to(room);
      const [merged] = await resident.next();
      expect(merged).toContain(`【${second}】这件事和工单${first}是同一件事`);
      await waitFor(() => inRoom().find((m) => m.includes(`${second}已合并到${first}`)), 'the merge line in the staff room');
      expect(await ticket(second)).toMatchObject({ status: 'merged', mergedIntoId: (await ticket(first)).id });

      chair.say(`/resolve ${firstRef} 路灯已修好，换了新灯泡`).to(room);
      const [resolved, rate] = await resident.next(2);
      expect(resolved).toContain(`【${first}】已办结：\n路灯已修好，换了新灯泡`);
      expect(rate).toContain(`回复“评价 ${first}”`);
      // Its button is a numbered line here; typing the command works as well.
      expect(rate).toContain('\n1. ⭐ 评价\n');
      await waitFor(() => inRoom().find((m) => m.includes(first) && m.includes('已办结')), 'the resolution line in the staff room');
      expect(await ticket(first)).toMatchObject({ status: 'resolved', resolvedById: people.chairId });

      const [stars] = await resident.says(`评价 ${first}`);
      expect(stars).toContain(`工单${first}已办结`);
      // The stars are listed 1 to 5, so typing 4 gives four.
      expect(resident.numberOf('⭐⭐⭐⭐ 满意')).toBe('4');
      const [solved] = await resident.says('4');
      expect(solved).toContain('问题解决了吗');
      const [wanted] = await resident.says('解决了');
      expect(wanted).toContain('还想说点什么吗');
      const [thanks, menu] = await resident.says(resident.numberOf('不用了'), 2);
      expect(thanks).toContain(`工单${first}的评价已记录`);
      expect(menu).toContain('请选择您要办理的事项');
      expect(await ticket(first)).toMatchObject({ rating: 4, solved: true, ratedResolution: 1 });
      await waitFor(() => inRoom().find((m) => m.includes(`${first}：居民评价4星`)), 'the rating line in the staff room');
    });

    it('a second resident on WeChat can neither see the ticket nor rate it', async () => {
      const [none] = await neighbour.says('我的工单');
      expect(none).toContain('您还没有工单。要登记一件吗？');
      const [notFound] = await neighbour.says(`工单 ${first}`, 2);
      expect(notFound).toBe(NOT_FOUND);
      const [rate] = await neighbour.says(`评价 ${first}`, 2);
      expect(rate).toBe(NOT_FOUND);
      await whenQuiet(prisma());
      expect(resident.unread()).toEqual([]);
      expect(neighbour.unread()).toEqual([]);
      expect(await prisma().ticketEvent.count({ where: { ticket: { number: { in: [first, second] } }, actorId: people.neighbourId } })).toBe(0);
    });
  });
});
