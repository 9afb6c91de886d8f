/**
 * The staff inbox in chat, through the whole app on real databases: Telegram (real telegraf
 * against the fake Bot API) with a plain staff group bound by /setup_staff_chat and a forum set by
 * TELEGRAM_STAFF_CHAT_ID, and WeChat (real wechaty with the mock puppet) with a staff room named by
 * WECHAT_STAFF_ROOM. A resident's ticket gets its card (or topic); staff claim, reply, note,
 * resolve, reopen and merge; the resident gets every reply and never an internal note; a
 * neighbour in the staff group, a resident in a private chat and forged buttons change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { TELEGRAM_MAX_BUTTON_DATA_BYTES } from '../../src/channels/telegram/telegram-channel.js';
import type { ContactMock, RoomMock, SeenMessage } from '../channels/wechat/wechat-harness.js';
import { STAFF_ROOM, wechatStaffRoom } from '../inbox/wechat-staff-room.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { startForumInbox, TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount, fileComplaint, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';

const FAST = TEST_PACING;
const OPEN311_KEY = 'city-hotline-key-0123456789';

const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';
const fromBot = (seen: SeenMessage[], botId: string) => seen.filter((m) => m.payload.talkerId === botId).map((m) => m.payload.text ?? '');

describe.each(databaseTargets())('staff inbox on %s', (target) => {
  describe('a plain Telegram group bound with /setup_staff_chat, and a WeChat staff room', () => {
    let telegram: FakeTelegramBotApi;
    let t: TestApp;
    let people: InboxPeople;
    let group: FakeChat;
    const users = {} as Record<'resident' | 'neighbour' | 'chair' | 'steward' | 'stranger', FakeUser>;
    let mocker: mock.Mocker;
    let wxBot: ContactMock;
    let wxChair: ContactMock;
    let wxNeighbour: ContactMock;
    let room: RoomMock;
    let roomSeen: SeenMessage[];
    let first: { ticketId: string; number: string };
    let card: SentMessage;
    const prisma = () => t.app.database.prisma;

    beforeAll(async () => {
      telegram = await FakeTelegramBotApi.start({ scale: 50 });
      const staffRoom = wechatStaffRoom(['李主任', '赵小明']);
      ({ mocker, bot: wxBot, room, seen: roomSeen } = staffRoom);
      [wxChair, wxNeighbour] = staffRoom.members as [ContactMock, ContactMock];
      const puppet = staffRoom.puppet;
      t = await startTestApp(
        target,
        { ...FAST, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, WECHAT_STAFF_ROOM: STAFF_ROOM, OPEN311_API_KEYS: OPEN311_KEY },
        undefined,
        { serve: true, wechatPuppet: puppet },
      );
      people = await seedInboxPeople(prisma(), t.app.communityId);
      for (const name of ['resident', 'neighbour', 'chair', 'steward', 'stranger'] as const) users[name] = telegram.createUser({ language_code: 'zh-hans' });
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.resident.id), people.residentId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.neighbour.id), people.neighbourId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.chair.id), people.chairId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.steward.id), people.stewardId);
      await bindAccount(prisma(), t.app.communityId, 'wechat', wxChair.id, people.chairId);
      await bindAccount(prisma(), t.app.communityId, 'wechat', wxNeighbour.id, people.neighbourId);
      group = telegram.createGroup({ title: '社区工作群', type: 'supergroup' });
      mocker.login(wxBot);
      await waitFor(async () => ((await prisma().boundChat.findFirst({ where: { purpose: 'staff', channel: 'wechat' } })) ? true : undefined), 'the WeChat staff room to be bound');
    }, 90_000);

    afterAll(async () => {
      await t?.close();
      await telegram?.close();
    });

    const groupMessages = () => telegram.sentTo(group);
    const residentMessages = () => telegram.sentTo(users.resident).map(textOf);
    const nextInGroup = (match: (m: SentMessage) => boolean, what: string) => waitFor(() => groupMessages().find(match), what);

    it('binds the group when a committee member sends /setup_staff_chat; a neighbour may not', async () => {
      telegram.userSays(group, users.neighbour, '/setup_staff_chat');
      const refused = await nextInGroup((m) => textOf(m).includes('职务'), 'the neighbour to be refused');
      expect(textOf(refused)).toContain('您目前的职务不能办理这件事');
      telegram.userSays(group, users.chair, '/setup_staff_chat');
      const done = await nextInGroup((m) => textOf(m).includes('已设为社区工作群'), 'the group to be bound');
      expect(textOf(done)).toContain('回复卡片即可回复居民');
      const chat = await prisma().boundChat.findFirstOrThrow({ where: { purpose: 'staff', channel: 'telegram' } });
      expect(chat).toMatchObject({ chatId: String(group.id), isForum: false, boundById: people.chairId });
      const audit = await prisma().auditLog.findFirst({ where: { action: 'staff_chat.setup', subjectId: chat.id } });
      expect(audit?.actorId).toBe(people.chairId);
      // The neighbour's attempt left its trace too.
      const refusal = await prisma().auditLog.findFirstOrThrow({ where: { action: 'staff_chat.setup', actorId: people.neighbourId } });
      expect(refusal).toMatchObject({ subjectType: 'staff_chat', details: { channel: 'telegram', denied: true, reason: 'role_required' } });
    });

    it('posts a card for a new ticket: name, masked phone, area, flags, deadlines, earlier tickets, signed buttons', async () => {
      const earlier = await fileComplaint(t.app, people.residentId, '楼道灯坏了');
      await nextInGroup((m) => textOf(m).includes(earlier.number), 'the earlier ticket’s card');
      first = await fileComplaint(t.app, people.residentId, '垃圾站三天没有清运，气味很大');
      card = await nextInGroup((m) => textOf(m).includes(first.number) && textOf(m).includes('垃圾站'), 'the card');
      const text = textOf(card);
      expect(text).toContain('王秀英');
      expect(text).toContain('138****5678');
      expect(text).not.toContain('13812345678');
      expect(text).toContain('团结片区');
      expect(text).toContain('高龄、残疾');
      expect(text).toContain('环境卫生');
      expect(text).toContain('首次回复期限');
      expect(text).toContain(`本户以往事项：${earlier.number}（待受理）`);
      const buttons = card.keyboard!.flat();
      expect(buttons.map((b) => b.text).join(' ')).toMatch(/认领.*指派.*内部备注.*标为重大.*办结.*重新打开.*合并/);
      for (const b of buttons) expect(Buffer.byteLength(b.callback_data!, 'utf8')).toBeLessThanOrEqual(TELEGRAM_MAX_BUTTON_DATA_BYTES);
      // Recorded right after Telegram answers: the card's id is what later lines reply to.
      const cardId = await waitFor(async () => {
        const thread = await prisma().staffThread.findFirstOrThrow({ where: { ticketId: first.ticketId, channel: 'telegram' } });
        return thread.cardMessageId ?? undefined;
      }, 'the card id to be recorded');
      expect(cardId).toBe(String(card.messageId));
      // The WeChat staff room gets the same ticket, with the commands to type.
      await waitFor(() => fromBot(roomSeen, wxBot.id).find((m) => m.includes(first.number)), 'the WeChat card');
      expect(fromBot(roomSeen, wxBot.id).find((m) => m.includes(first.number))).toContain('/claim #');
    });

    it('claims by button: a line under the card, the ticket in progress with the claimer', async () => {
      const claim = card.keyboard!.flat().find((b) => b.text.includes('认领'))!;
      const callbackId = telegram.userPresses(group, users.steward, card.messageId, claim.callback_data!);
      const line = await nextInGroup((m) => textOf(m).includes('认领了此事项'), 'the claim line');
      expect(textOf(line)).toContain('张网格');
      expect(line.replyTo).toBe(card.messageId);
      expect(telegram.callback(callbackId)?.answered).toBeDefined();
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } });
      expect(ticket).toMatchObject({ status: 'in_progress', assigneeId: people.stewardId });
      const audit = await prisma().auditLog.findFirst({ where: { action: 'ticket.claim', subjectId: first.ticketId } });
      expect(audit?.actorId).toBe(people.stewardId);
    });

    it('passes a reply to the card on to the resident, as the first response', async () => {
      const before = residentMessages().length;
      telegram.userSays(group, users.steward, '您好，明天上午安排清运。', { replyTo: card.messageId });
      const reply = await waitFor(() => residentMessages().slice(before).find((m) => m.includes('明天上午安排清运')), 'the reply at the resident');
      expect(reply).toContain(first.number);
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } });
      expect(ticket.firstRespondedAt).not.toBeNull();
      const event = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: first.ticketId, kind: 'staff_reply' } });
      expect(event.actorId).toBe(people.stewardId);
    });

    it('passes a photo in reply to the card on to the resident, its caption as the words', async () => {
      const sentToResident = () => telegram.sentTo(users.resident);
      const before = sentToResident().length;
      telegram.userSendsPhoto(group, users.steward, { caption: '这是清运车的排班表', replyTo: card.messageId });
      const photo = await waitFor(() => sentToResident().slice(before).find((m) => m.photo !== undefined), 'the photo at the resident');
      expect(textOf(photo)).toContain('这是清运车的排班表');
      expect(textOf(photo)).toContain(first.number);
      telegram.userSendsPhoto(group, users.steward, { replyTo: card.messageId });
      const bare = await waitFor(() => sentToResident().slice(before).filter((m) => m.photo !== undefined)[1], 'the photo without words');
      expect(textOf(bare)).toContain('发来一张照片');
      const events = await prisma().ticketEvent.findMany({ where: { ticketId: first.ticketId, kind: 'staff_reply' }, orderBy: { createdAt: 'asc' } });
      expect(events.slice(-2).map((e) => e.photos.length)).toEqual([1, 1]);
    });

    it('keeps an internal note with the staff: a line in the group, nothing to the resident', async () => {
      const before = residentMessages().length;
      telegram.userSays(group, users.chair, '/note 这户老人行动不便，上门前先电话', { replyTo: card.messageId });
      const line = await nextInGroup((m) => textOf(m).includes('内部备注（李主任'), 'the note line');
      expect(textOf(line)).toContain('这户老人行动不便');
      await whenQuiet(prisma());
      expect(residentMessages().slice(before)).toEqual([]);
      const note = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: first.ticketId, kind: 'internal_note' } });
      expect(note.text).toBe('这户老人行动不便，上门前先电话');
    });

    it('refuses a neighbour who is not staff, in the staff group: nothing reaches the resident', async () => {
      const before = residentMessages().length;
      const refusalsBefore = groupMessages().filter((m) => textOf(m).includes('您目前的职务不能办理这件事')).length;
      telegram.userSays(group, users.neighbour, '我是邻居，我来说两句', { replyTo: card.messageId });
      const claim = card.keyboard!.flat().find((b) => b.text.includes('标为重大'))!;
      telegram.userPresses(group, users.neighbour, card.messageId, claim.callback_data!);
      telegram.userSays(group, users.stranger, '/resolve 1 搞定了', { replyTo: card.messageId });
      await waitFor(
        () => (groupMessages().filter((m) => textOf(m).includes('您目前的职务不能办理这件事')).length >= refusalsBefore + 2 ? true : undefined),
        'two polite refusals',
      );
      await waitFor(() => (groupMessages().some((m) => textOf(m).includes('需要先把您的账号绑定')) ? true : undefined), 'the unbound stranger to be refused');
      await whenQuiet(prisma());
      expect(residentMessages().slice(before)).toEqual([]);
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } });
      expect(ticket).toMatchObject({ status: 'in_progress', major: false });
      expect(await prisma().ticketEvent.count({ where: { ticketId: first.ticketId, actorId: people.neighbourId } })).toBe(0);
      // Every refused attempt is in the audit log: who, what, on which ticket, why.
      const refusals = await prisma().auditLog.findMany({
        where: { subjectType: 'ticket', subjectId: first.ticketId, details: { path: ['denied'], equals: true } },
        orderBy: { createdAt: 'asc' },
      });
      expect(refusals.filter((row) => row.actorId === people.neighbourId).map((row) => [row.action, (row.details as { reason?: string }).reason]).sort()).toEqual([
        ['ticket.mark_major', 'role_required'],
        ['ticket.reply', 'role_required'],
      ]);
      const stranger = await prisma().chatAccount.findFirstOrThrow({ where: { channel: 'telegram', externalId: String(users.stranger.id) } });
      expect(refusals.filter((row) => row.actorId === null).map((row) => [row.action, row.details])).toEqual([
        ['ticket.resolve', { denied: true, reason: 'not_bound', chatAccountId: stranger.id }],
      ]);
    });

    it('releases a ticket’s words to the open data feed on /publish by a committee member, audited; a steward is refused, audited too', async () => {
      const feed = async () => {
        const response = await t.app.http.inject({ method: 'GET', url: `/open311/v2/requests/${first.number}.json` });
        return (response.json() as Array<{ description: string | null }>)[0]!;
      };
      expect((await feed()).description).toBeNull();
      const refusals = () => groupMessages().filter((m) => textOf(m).includes('您目前的职务不能办理这件事')).length;
      const refusalsBefore = refusals();
      telegram.userSays(group, users.steward, `/publish ${first.number}`);
      await waitFor(() => refusals() > refusalsBefore, 'the steward refused');
      expect((await feed()).description).toBeNull();
      telegram.userSays(group, users.chair, `/publish ${first.number}`);
      const done = await nextInGroup((m) => textOf(m).includes('已在社区公开数据中公开'), 'the release');
      expect(textOf(done)).toContain(first.number);
      expect(await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } })).toMatchObject({ publishText: true });
      expect((await feed()).description).toBe('垃圾站三天没有清运，气味很大');
      const rows = await prisma().auditLog.findMany({ where: { action: 'ticket.publish_text', subjectId: first.ticketId }, orderBy: { createdAt: 'asc' } });
      expect(rows.map((row) => [row.actorId, row.details])).toEqual([
        [people.stewardId, { denied: true, reason: 'role_required' }],
        [people.chairId, {}],
      ]);
      telegram.userSays(group, users.chair, `/publish ${first.number}`);
      await nextInGroup((m) => textOf(m).includes('的内容已经公开了'), 'a second /publish changes nothing');
    });

    it('refuses the inbox commands and forged buttons in a resident’s private chat, and forged buttons in the group', async () => {
      telegram.userSays(users.resident, users.resident, '/claim 1');
      telegram.userSays(users.resident, users.resident, `/resolve ${first.number} 我自己解决了`);
      await waitFor(() => (residentMessages().filter((m) => m.includes('只能由社区工作人员在社区工作群里使用')).length >= 2 ? true : undefined), 'two refusals');
      const genuine = card.keyboard!.flat().find((b) => b.text.includes('认领'))!.callback_data!;
      const forged = genuine.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA');
      telegram.userPresses(users.resident, users.resident, 1, genuine);
      telegram.userPresses(users.resident, users.resident, 1, forged);
      await waitFor(() => (residentMessages().filter((m) => m.includes('只能由社区工作人员在社区工作群里使用')).length >= 4 ? true : undefined), 'the buttons refused');
      telegram.userPresses(group, users.chair, card.messageId, forged);
      await nextInGroup((m) => textOf(m).includes('这个按钮无效'), 'the forged button refused');
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } });
      expect(ticket.status).toBe('in_progress');
    });

    it('explains the staff chat on /help there, while a resident’s /help in private is the residents’ own help', async () => {
      telegram.userSays(group, users.steward, '/help');
      const help = await nextInGroup((m) => textOf(m).includes('工作群用法'), 'the staff chat’s help');
      expect(textOf(help)).toContain('/resolve 编号 说明');
      expect(textOf(help)).toContain('回复某事项的卡片');
      wxChair.say('/help').to(room);
      await waitFor(() => fromBot(roomSeen, wxBot.id).find((m) => m.includes('工作群用法') && m.includes('#编号 回复内容')), 'the WeChat room’s help');
      const before = residentMessages().length;
      telegram.userSays(users.resident, users.resident, '/help');
      const own = await waitFor(() => residentMessages().slice(before)[0], 'the resident’s help');
      expect(own).not.toContain('工作群');
    });

    it('resolves through the button’s prompt: the resident gets the resolution, the group a line', async () => {
      const resolve = card.keyboard!.flat().find((b) => b.text.includes('办结'))!;
      telegram.userPresses(group, users.steward, card.messageId, resolve.callback_data!);
      const prompt = await nextInGroup((m) => textOf(m).includes('写下给居民的办结说明'), 'the prompt');
      expect(prompt.forceReply).toBe(true);
      expect(prompt.replyTo).toBe(card.messageId);
      const before = residentMessages().length;
      telegram.userSays(group, users.steward, '垃圾已清运，并加派了每日巡查。', { replyTo: prompt.messageId });
      const told = await waitFor(() => residentMessages().slice(before).find((m) => m.includes('垃圾已清运')), 'the resolution at the resident');
      expect(told).toContain(first.number);
      await nextInGroup((m) => textOf(m).includes('已办结') && textOf(m).includes('垃圾已清运'), 'the resolution line');
      const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } });
      expect(ticket).toMatchObject({ status: 'resolved', resolvedById: people.stewardId });
    });

    it('reopens by command in reply to the card, and tells the resident', async () => {
      const before = residentMessages().length;
      telegram.userSays(group, users.chair, '/reopen', { replyTo: card.messageId });
      await nextInGroup((m) => textOf(m).includes('已重新打开，状态：处理中（李主任）'), 'the reopen line');
      await waitFor(() => (residentMessages().length > before ? true : undefined), 'the resident to be told');
      expect((await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } })).status).toBe('in_progress');
    });

    it('assigns to a staff member by name and marks the ticket major, by command; unknown names are answered', async () => {
      telegram.userSays(group, users.steward, `/assign ${first.number} 不存在的人`);
      await nextInGroup((m) => textOf(m).includes('没有找到名为“不存在的人”的在任工作人员'), 'the unknown name answered');
      telegram.userSays(group, users.steward, `/assign ${first.number} 李主任`);
      await nextInGroup((m) => textOf(m).includes('指派给李主任'), 'the assign line');
      // Told in their own chat (the account they used last: here WeChat or Telegram).
      await waitFor(
        async () =>
          (await prisma().outboxMessage.findFirst({
            where: { refs: { some: { subjectKind: 'ticket', subjectId: first.ticketId } }, status: 'sent', chatAccountId: { not: null }, chatId: { in: [String(users.chair.id), wxChair.id] } },
          })) ?? undefined,
        'the assignee told in their own chat',
      );
      telegram.userSays(group, users.chair, `/major ${first.number}`);
      await nextInGroup((m) => textOf(m).includes('标为重大事项'), 'the major line');
      telegram.userSays(group, users.chair, `/major ${first.number}`);
      await nextInGroup((m) => textOf(m).includes('已经是这样了'), 'a second /major changes nothing');
      expect(await prisma().ticket.findUniqueOrThrow({ where: { id: first.ticketId } })).toMatchObject({ assigneeId: people.chairId, major: true });
      expect(await prisma().agendaItem.count({ where: { ticketId: first.ticketId, reason: 'major' } })).toBe(1);
      // The steward's assign and the chair's first /major (the neighbour's refused press is audited apart).
      expect(await prisma().auditLog.count({ where: { subjectId: first.ticketId, action: { in: ['ticket.assign', 'ticket.mark_major'] }, actorId: { in: [people.stewardId, people.chairId] } } })).toBe(2);
    });

    it('merges a second ticket into the first by command; its resident is told', async () => {
      const second = await fileComplaint(t.app, people.residentId, '垃圾站还是很臭');
      await nextInGroup((m) => textOf(m).includes(second.number) && textOf(m).includes('垃圾站还是很臭'), 'the second card');
      const before = residentMessages().length;
      telegram.userSays(group, users.chair, `/merge ${second.number} ${first.number}`);
      const told = await waitFor(() => residentMessages().slice(before).find((m) => m.includes(first.number)), 'the merge notice');
      expect(told).toContain(second.number);
      await nextInGroup((m) => textOf(m).includes(`${second.number}已合并到${first.number}`), 'the merge line');
      await nextInGroup((m) => textOf(m).includes(`${second.number}已合并到本事项${first.number}`), 'the line under the first card');
      expect(await prisma().ticket.findUniqueOrThrow({ where: { id: second.ticketId } })).toMatchObject({ status: 'merged', mergedIntoId: first.ticketId });
      // Merging it again is refused with the reason, not a crash.
      telegram.userSays(group, users.chair, `/merge ${second.number} ${first.number}`);
      await nextInGroup((m) => textOf(m).includes(`${second.number}目前是“已合并”`), 'the refusal');
    });

    it('on WeChat: claims, replies with #<number> and resolves by command in the staff room', async () => {
      const third = await fileComplaint(t.app, people.residentId, '小区门口路灯不亮');
      const wxCard = await waitFor(() => fromBot(roomSeen, wxBot.id).find((m) => m.includes(third.number)), 'the WeChat card');
      const ref = /\/claim (#\d+)/.exec(wxCard)![1]!;
      wxChair.say(`/claim ${ref}`).to(room);
      await waitFor(() => fromBot(roomSeen, wxBot.id).find((m) => m.includes(third.number) && m.includes('认领了此事项')), 'the claim line on WeChat');
      const before = residentMessages().length;
      wxChair.say(`${ref} 今晚电工来修`).to(room);
      await waitFor(() => residentMessages().slice(before).find((m) => m.includes('今晚电工来修')), 'the WeChat reply at the resident');
      wxNeighbour.say(`${ref} 邻居也想说一句`).to(room);
      await waitFor(() => fromBot(roomSeen, wxBot.id).find((m) => m.includes('您目前的职务不能办理这件事')), 'the neighbour refused on WeChat');
      wxChair.say(`/resolve ${ref} 路灯已修好`).to(room);
      await waitFor(() => residentMessages().slice(before).find((m) => m.includes('路灯已修好')), 'the WeChat resolution at the resident');
      await whenQuiet(prisma());
      expect(residentMessages().slice(before).some((m) => m.includes('邻居也想说一句'))).toBe(false);
      expect((await prisma().ticket.findUniqueOrThrow({ where: { id: third.ticketId } })).status).toBe('resolved');
    });

    it('puts a report filed through Open311 in front of the staff like any other, with no resident behind it', async () => {
      const response = await t.app.http.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ api_key: OPEN311_KEY, service_code: 'environment_sanitation', address_string: '团结巷东口', description: '井盖松动，夜里很危险' }).toString(),
      });
      expect(response.statusCode, response.body).toBe(201);
      const number = (response.json() as Array<{ service_request_id: string }>)[0]!.service_request_id;
      const posted = await nextInGroup((m) => textOf(m).includes(number) && textOf(m).includes('井盖松动'), 'the Open311 card');
      expect(textOf(posted)).toContain('团结巷东口');
      expect(textOf(posted)).toContain('来源：Open311接口');
      expect(textOf(posted)).not.toContain('本户以往事项');
      await waitFor(() => fromBot(roomSeen, wxBot.id).find((m) => m.includes(number)), 'the Open311 card on WeChat');
    });

    it('follows the staff group when it becomes a supergroup: the binding moves, new cards go there and staff there are heard', async () => {
      // A basic group made the staff chat (the inbox moves there), which then grows into a supergroup.
      const basic = telegram.createGroup({ title: '社区工作小群', type: 'group' });
      telegram.userSays(basic, users.chair, '/setup_staff_chat');
      await waitFor(() => telegram.sentTo(basic).find((m) => textOf(m).includes('已设为社区工作群')), 'the basic group to be bound');
      const supergroup = telegram.upgradeGroup(basic);
      await waitFor(async () => ((await prisma().boundChat.findFirst({ where: { purpose: 'staff', channel: 'telegram', chatId: String(supergroup.id) } })) ? true : undefined), 'the binding to move');
      const moved = await fileComplaint(t.app, people.residentId, '楼下的自行车挡住了消防通道');
      const newCard = await waitFor(() => telegram.sentTo(supergroup).find((m) => textOf(m).includes(moved.number)), 'the card in the supergroup');
      const before = residentMessages().length;
      telegram.userSays(supergroup, users.steward, '已经通知车主挪走。', { replyTo: newCard.messageId });
      await waitFor(() => residentMessages().slice(before).find((m) => m.includes('已经通知车主挪走')), 'the reply from the supergroup');
    });
  });

  describe('a Telegram forum set by TELEGRAM_STAFF_CHAT_ID', () => {
    let telegram: FakeTelegramBotApi;
    let t: TestApp;
    let people: InboxPeople;
    let forum: FakeChat;
    const users = {} as Record<'resident' | 'chair' | 'steward' | 'neighbour', FakeUser>;
    const prisma = () => t.app.database.prisma;

    beforeAll(async () => {
      ({ telegram, forum, t, people } = await startForumInbox(target));
      for (const name of ['resident', 'chair', 'steward', 'neighbour'] as const) users[name] = telegram.createUser({ language_code: 'zh-hans' });
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.resident.id), people.residentId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.chair.id), people.chairId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.steward.id), people.stewardId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.neighbour.id), people.neighbourId);
    }, 90_000);

    afterAll(async () => {
      await t?.close();
      await telegram?.close();
    });

    const inForum = () => telegram.sentTo(forum);
    const residentMessages = () => telegram.sentTo(users.resident).map(textOf);

    it('is bound from the configuration as a forum', async () => {
      expect(await prisma().boundChat.findFirstOrThrow({ where: { purpose: 'staff', channel: 'telegram' } })).toMatchObject({ chatId: String(forum.id), isForum: true, boundById: null });
      telegram.userSays(forum, users.chair, '/setup_staff_chat');
      await waitFor(() => inForum().find((m) => textOf(m).includes('本群已经是社区工作群')), 'the answer to a repeated setup');
    });

    it('gives each ticket its own topic, staff write in it, and it follows the ticket: closed when resolved, reopened with it', async () => {
      const ticket = await fileComplaint(t.app, people.residentId, '三号楼下水道堵了');
      const card = await waitFor(() => inForum().find((m) => textOf(m).includes(ticket.number)), 'the card in its topic');
      const topic = telegram.world.topic(forum.id, card.threadId!);
      expect(topic?.name).toBe(`${ticket.number}｜环境卫生`);
      expect(textOf(card)).toContain('在本话题里直接发消息');
      const thread = await prisma().staffThread.findFirstOrThrow({ where: { ticketId: ticket.ticketId } });
      expect(thread.topicId).toBe(String(card.threadId));

      telegram.userSays(forum, users.steward, '/claim', { threadId: card.threadId! });
      const claimed = await waitFor(() => inForum().find((m) => textOf(m).includes('认领了此事项')), 'the claim line');
      expect(claimed.threadId).toBe(card.threadId);

      const before = residentMessages().length;
      telegram.userSays(forum, users.steward, '师傅下午两点到。', { threadId: card.threadId! });
      await waitFor(() => residentMessages().slice(before).find((m) => m.includes('师傅下午两点到')), 'the topic message at the resident');
      telegram.userSays(forum, users.neighbour, '我也来说一句', { threadId: card.threadId! });
      const refused = await waitFor(() => inForum().find((m) => textOf(m).includes('您目前的职务不能办理这件事')), 'the neighbour refused');
      expect(refused.threadId).toBe(card.threadId);

      telegram.userSays(forum, users.steward, '/resolve 已疏通', { threadId: card.threadId! });
      await waitFor(() => residentMessages().slice(before).find((m) => m.includes('已疏通')), 'the resolution at the resident');
      await waitFor(() => (telegram.world.topic(forum.id, card.threadId!)?.closed ? true : undefined), 'the topic to close');
      expect(await prisma().staffThread.findFirstOrThrow({ where: { ticketId: ticket.ticketId } })).toMatchObject({ closed: true });

      telegram.userSays(forum, users.chair, '/reopen', { threadId: card.threadId! });
      await waitFor(() => (telegram.world.topic(forum.id, card.threadId!)?.closed === false ? true : undefined), 'the topic to reopen');
      await waitFor(() => inForum().find((m) => textOf(m).includes('已重新打开')), 'the reopen line');
      await whenQuiet(prisma());
      expect(residentMessages().slice(before).some((m) => m.includes('我也来说一句'))).toBe(false);
      expect(telegram.calls('createForumTopic')).toBe(1);
    });

    it('takes a note through the card’s button in the topic: prompt and answer stay in the topic, never with the resident', async () => {
      const ticket = await fileComplaint(t.app, people.residentId, '电梯异响');
      const card = await waitFor(() => inForum().find((m) => textOf(m).includes(ticket.number) && m.keyboard), 'the card');
      const note = card.keyboard!.flat().find((b) => b.text.includes('内部备注'))!;
      telegram.userPresses(forum, users.chair, card.messageId, note.callback_data!);
      const prompt = await waitFor(() => inForum().find((m) => textOf(m).includes(`${ticket.number}：请回复本消息，写下内部备注`)), 'the prompt');
      expect(prompt.threadId).toBe(card.threadId);
      const before = residentMessages().length;
      telegram.userSays(forum, users.chair, '维保公司周五来检查', { threadId: card.threadId!, replyTo: prompt.messageId });
      const line = await waitFor(() => inForum().find((m) => textOf(m).includes('维保公司周五来检查') && textOf(m).includes('内部备注')), 'the note line');
      expect(line.threadId).toBe(card.threadId);
      await whenQuiet(prisma());
      expect(residentMessages().slice(before)).toEqual([]);
    });

    it('keeps a second ticket in a topic of its own', async () => {
      const ticket = await fileComplaint(t.app, people.residentId, '楼顶漏雨');
      const card = await waitFor(() => inForum().find((m) => textOf(m).includes(ticket.number)), 'the second card');
      const threads = await prisma().staffThread.findMany({ where: { topicId: { not: null } } });
      expect(new Set(threads.map((thread) => thread.topicId)).size).toBe(3);
      expect(card.threadId).toBeDefined();
    });
  });
});
