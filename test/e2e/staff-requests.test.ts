/**
 * Binding requests and phone numbers in the staff chat, through the whole app on real databases:
 * a visitor asks to be bound on the web chat and the staff chat gets the request — the phone
 * masked, never in full — with Approve / Reject buttons on Telegram (a forum set by
 * TELEGRAM_STAFF_CHAT_ID) and the words to type on WeChat (a staff room). Approving binds the
 * person and tells them, rejecting tells them too, a line says who decided; a second press, a
 * forged button and a member without the role change nothing. `/phone` sends a reporter's full
 * number to an allowed staff member privately and is audited; a role without the grant is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import type { ContactMock, RoomMock, SeenMessage } from '../channels/wechat/wechat-harness.js';
import { STAFF_ROOM, wechatStaffRoom } from '../inbox/wechat-staff-room.js';
import type { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { startForumInbox, TEST_PACING } from '../inbox/forum-inbox.js';
import { askToBeBound, bindAccount, fileComplaint, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';

const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';
/** 王秀英's number on the roster (seedInboxPeople). */
const FULL_PHONE = '13812345678';
const REFUSED = '您目前的职务不能办理这件事';

describe.each(databaseTargets())('binding requests and phone numbers in the staff chat on %s', (target) => {
  describe('a Telegram forum', () => {
    let telegram: FakeTelegramBotApi;
    let forum: FakeChat;
    let t: TestApp;
    let people: InboxPeople;
    let patrolId: string;
    const users = {} as Record<'chair' | 'steward' | 'neighbour' | 'patrol', FakeUser>;
    const prisma = () => t.app.database.prisma;
    const inForum = () => telegram.sentTo(forum);
    const nextInForum = (match: (m: SentMessage) => boolean, what: string) => waitFor(() => inForum().find(match), what);
    const postOf = (number: number) => nextInForum((m) => textOf(m).includes(`绑定申请${number}`) && m.keyboard !== undefined, `the post of request ${number}`);
    const buttonOf = (post: SentMessage, label: string) => post.keyboard!.flat().find((b) => b.text.includes(label))!.callback_data!;
    const requestRow = (number: number) => prisma().bindingRequest.findFirstOrThrow({ where: { communityId: t.app.communityId, number } });
    const webAccount = (person: WebPerson) =>
      prisma().chatAccount.findUniqueOrThrow({
        where: { communityId_channel_externalId: { communityId: t.app.communityId, channel: 'web', externalId: person.sessionId } },
      });

    beforeAll(async () => {
      ({ telegram, forum, t, people } = await startForumInbox(target));
      for (const name of ['chair', 'steward', 'neighbour', 'patrol'] as const) users[name] = telegram.createUser({ language_code: 'zh-hans' });
      const patrol = await prisma().resident.create({ data: { communityId: t.app.communityId, name: '钱巡查', phone: '13500004444' } });
      await prisma().roleAssignment.create({ data: { communityId: t.app.communityId, residentId: patrol.id, role: 'patrol', areaId: people.areaId } });
      patrolId = patrol.id;
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.chair.id), people.chairId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.steward.id), people.stewardId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.neighbour.id), people.neighbourId);
      await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.patrol.id), patrolId);
    }, 90_000);

    afterAll(async () => {
      await t?.close();
      await telegram?.close();
    });

    describe('a request that matches the roster', () => {
      let person: WebPerson;
      let number: number;
      let post: SentMessage;

      beforeAll(async () => {
        person = new WebPerson(t.app);
        number = await askToBeBound(person, { name: '王秀英', address: '团结巷一号', phone: '138-1234-5678' });
        post = await postOf(number);
      }, 60_000);

      it('is posted with its number, the name, the phone masked, the address given and the probable household', async () => {
        const household = await prisma().household.findUniqueOrThrow({ where: { id: people.householdId } });
        const text = textOf(post);
        expect(text).toContain('姓名：王秀英');
        expect(text).toContain('电话：138****5678');
        expect(text).not.toContain(FULL_PHONE);
        expect(text).toContain('填写的住址：团结巷一号');
        expect(text).toContain(`住户${household.code}（${household.address}）`);
        expect(post.keyboard!.flat().map((b) => b.text)).toEqual(['✅ 批准', '❌ 拒绝']);
      });

      it('refuses a member without the role, and a forged button; nothing changes', async () => {
        const refusalsBefore = inForum().filter((m) => textOf(m).includes(REFUSED)).length;
        telegram.userPresses(forum, users.neighbour, post.messageId, buttonOf(post, '批准'));
        await waitFor(() => (inForum().filter((m) => textOf(m).includes(REFUSED)).length > refusalsBefore ? true : undefined), 'the neighbour refused');
        const forged = buttonOf(post, '批准').replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA');
        telegram.userPresses(forum, users.chair, post.messageId, forged);
        await nextInForum((m) => textOf(m).includes('这个按钮无效'), 'the forged button refused');
        await whenQuiet(prisma());
        expect((await requestRow(number)).status).toBe('pending');
        expect((await webAccount(person)).residentId).toBeNull();
        const refusal = await prisma().auditLog.findFirstOrThrow({ where: { action: 'binding.approve', actorId: people.neighbourId } });
        expect(refusal.details).toEqual({ number, denied: true, reason: 'role_required' });
      });

      it('approves by button: the person is bound and told, and a line under the post says who decided', async () => {
        const before = (await person.received()).length;
        telegram.userPresses(forum, users.steward, post.messageId, buttonOf(post, '批准'));
        const line = await nextInForum((m) => textOf(m).includes(`绑定申请${number}（王秀英）已由张网格批准`), 'the decision line');
        expect(line.replyTo).toBe(post.messageId);
        const [notice] = (await person.waitForMessages(before + 1)).slice(before);
        expect(notice!.text).toBe(`您的绑定申请（编号${number}）已批准。欢迎您，王秀英！回复“菜单”就可以开始办理社区事务了。`);
        expect((await webAccount(person)).residentId).toBe(people.residentId);
        expect(await requestRow(number)).toMatchObject({ status: 'approved', residentId: people.residentId });
        const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: 'binding.approve', actorId: people.stewardId } });
        expect(audit).toMatchObject({ via: 'chat', subjectType: 'binding_request' });
        expect(audit.details).toMatchObject({ number, residentId: people.residentId, createdResident: false });
      });

      it('answers a second press, or a reject after it, politely and changes nothing', async () => {
        const before = (await person.received()).length;
        telegram.userPresses(forum, users.chair, post.messageId, buttonOf(post, '批准'));
        telegram.userPresses(forum, users.chair, post.messageId, buttonOf(post, '拒绝'));
        await waitFor(
          () => (inForum().filter((m) => textOf(m).includes(`绑定申请${number}此前已批准`)).length >= 2 ? true : undefined),
          'two polite answers',
        );
        await whenQuiet(prisma());
        expect((await person.received()).length).toBe(before);
        expect((await requestRow(number)).status).toBe('approved');
        expect(inForum().filter((m) => textOf(m).includes('已由'))).toHaveLength(1);
        const decisions = await prisma().auditLog.findMany({ where: { subjectType: 'binding_request', action: { in: ['binding.approve', 'binding.reject'] } } });
        expect(decisions.filter((row) => (row.details as { denied?: boolean }).denied !== true)).toHaveLength(1);
      });
    });

    it('rejects by button: the person is told, a line says who decided', async () => {
      const person = new WebPerson(t.app);
      const number = await askToBeBound(person, { name: '路人甲', address: '不知道哪里', phone: '13011112222' });
      const post = await postOf(number);
      expect(textOf(post)).toContain('名册中没有姓名和电话都相符的人');
      const before = (await person.received()).length;
      telegram.userPresses(forum, users.chair, post.messageId, buttonOf(post, '拒绝'));
      await nextInForum((m) => textOf(m).includes(`绑定申请${number}（路人甲）已由李主任拒绝`), 'the decision line');
      const [notice] = (await person.waitForMessages(before + 1)).slice(before);
      expect(notice!.text).toContain(`您的绑定申请（编号${number}）已拒绝`);
      expect((await requestRow(number)).status).toBe('rejected');
      expect((await webAccount(person)).residentId).toBeNull();
    });

    it('approves by command in reply to the post, naming the household when the roster has no match; /phone there sends the number privately', async () => {
      const person = new WebPerson(t.app);
      const number = await askToBeBound(person, { name: '王小宝', address: '团结巷一号', phone: '13122223333' });
      const post = await postOf(number);
      const chairBefore = telegram.sentTo(users.chair).length;
      telegram.userSays(forum, users.chair, '/phone', { replyTo: post.messageId });
      const told = await waitFor(() => telegram.sentTo(users.chair).slice(chairBefore).find((m) => textOf(m).includes('13122223333')), 'the number in private');
      expect(textOf(told)).toContain(`绑定申请${number}`);
      await nextInForum((m) => textOf(m).includes(`已把绑定申请${number}联系人的完整电话私信发给您`), 'the note in the forum');

      telegram.userSays(forum, users.chair, '/approve', { replyTo: post.messageId });
      await nextInForum((m) => textOf(m).includes(`绑定申请${number}：名册中没有姓名和电话都相符的人`), 'the household asked for');
      const household = await prisma().household.findUniqueOrThrow({ where: { id: people.householdId } });
      telegram.userSays(forum, users.chair, `/approve ${number} ${household.code}`);
      await nextInForum((m) => textOf(m).includes(`绑定申请${number}（王小宝）已由李主任批准`), 'the decision line');
      const added = await prisma().resident.findFirstOrThrow({ where: { householdId: people.householdId, name: '王小宝' } });
      expect((await webAccount(person)).residentId).toBe(added.id);
      expect(inForum().some((m) => textOf(m).includes('13122223333'))).toBe(false);
    });

    it('/phone in a ticket’s topic sends the reporter’s number to the staff member privately, audited; a role without the grant is refused', async () => {
      const ticket = await fileComplaint(t.app, people.residentId, '楼道里堆满了杂物');
      const card = await nextInForum((m) => textOf(m).includes(ticket.number) && m.keyboard !== undefined, 'the card');
      const chairBefore = telegram.sentTo(users.chair).length;
      telegram.userSays(forum, users.chair, '/phone', { threadId: card.threadId! });
      const told = await waitFor(() => telegram.sentTo(users.chair).slice(chairBefore).find((m) => textOf(m).includes(FULL_PHONE)), 'the number in private');
      expect(textOf(told)).toContain(`${ticket.number}：王秀英的完整电话是${FULL_PHONE}`);
      const note = await nextInForum((m) => textOf(m).includes(`已把${ticket.number}联系人的完整电话私信发给您`), 'the note in the topic');
      expect(note.threadId).toBe(card.threadId);
      const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: 'resident.reveal_phone', actorId: people.chairId, subjectId: people.residentId } });
      expect(audit).toMatchObject({ via: 'chat', subjectType: 'resident', details: { numberOnRecord: true } });

      const patrolBefore = telegram.sentTo(users.patrol).length;
      telegram.userSays(forum, users.patrol, `/phone ${ticket.number}`);
      await nextInForum((m) => textOf(m).includes('这件事只能由本人办理'), 'the patrol member refused');
      await whenQuiet(prisma());
      expect(telegram.sentTo(users.patrol).slice(patrolBefore)).toEqual([]);
      const refusal = await prisma().auditLog.findFirstOrThrow({ where: { action: 'resident.reveal_phone', actorId: patrolId } });
      expect(refusal.details).toEqual({ denied: true, reason: 'not_yourself' });
    });

    it('/resume_binding lifts a pause of binding: refused to a steward (audited), done for a committee member, audited', async () => {
      const communityId = t.app.communityId;
      // Binding paused by the community-wide limit (as the 50th wrong code from many origins leaves it).
      const closing = await prisma().auditLog.create({
        data: {
          communityId,
          via: 'system',
          action: 'binding.closed',
          subjectType: 'community',
          subjectId: communityId,
          details: { wrongCodes: 50, until: new Date(Date.now() + 15 * 60_000).toISOString() },
        },
      });
      const person = new WebPerson(t.app);
      const [paused] = await person.ask('85D6-5BDA', 2);
      expect(paused!.text).toContain('社区的绑定功能暂停到');

      telegram.userSays(forum, users.steward, '/resume_binding');
      await nextInForum((m) => textOf(m).includes(REFUSED), 'the steward refused');
      telegram.userSays(forum, users.chair, '/resume_binding');
      await nextInForum((m) => textOf(m).includes('已恢复绑定'), 'binding resumed');
      const audit = await prisma().auditLog.findMany({ where: { communityId, action: 'binding.resumed' }, orderBy: { createdAt: 'asc' } });
      expect(audit.map((row) => [row.actorId, row.via, row.details])).toEqual([
        [people.stewardId, 'chat', { denied: true, reason: 'role_required' }],
        [people.chairId, 'chat', { closedAuditId: closing.id, wrongCodesForgotten: 0 }],
      ]);
      const [wrong] = await person.ask('85D6-5BDA', 2);
      expect(wrong!.text).toContain('这不是有效的绑定码');
      telegram.userSays(forum, users.chair, '/resume_binding');
      await nextInForum((m) => textOf(m).includes('绑定现在没有暂停'), 'nothing to resume');
    });

    it('lists /phone and the request commands in the staff chat’s /help, and never shows a full number there', async () => {
      telegram.userSays(forum, users.steward, '/help');
      const help = await nextInForum((m) => textOf(m).includes('工作群用法'), 'the help');
      expect(textOf(help)).toContain('/phone 编号');
      expect(textOf(help)).toContain('/approve 申请号');
      expect(textOf(help)).toContain('/resume_binding');
      expect(inForum().filter((m) => textOf(m).includes(FULL_PHONE))).toEqual([]);
    });
  });

  describe('a WeChat staff room', () => {
    let t: TestApp;
    let people: InboxPeople;
    let mocker: mock.Mocker;
    let wxBot: ContactMock;
    let wxChair: ContactMock;
    let wxNeighbour: ContactMock;
    let room: RoomMock;
    let roomSeen: SeenMessage[];
    const prisma = () => t.app.database.prisma;
    const fromBot = () => roomSeen.filter((m) => m.payload.talkerId === wxBot.id).map((m) => m.payload.text ?? '');
    const nextInRoom = (match: (text: string) => boolean, what: string) => waitFor(() => fromBot().find(match), what);

    beforeAll(async () => {
      const staffRoom = wechatStaffRoom(['李主任', '赵小明']);
      ({ mocker, bot: wxBot, room, seen: roomSeen } = staffRoom);
      [wxChair, wxNeighbour] = staffRoom.members as [ContactMock, ContactMock];
      const puppet = staffRoom.puppet;
      t = await startTestApp(target, { ...TEST_PACING, WECHAT_STAFF_ROOM: STAFF_ROOM }, undefined, { serve: true, wechatPuppet: puppet });
      people = await seedInboxPeople(prisma(), t.app.communityId);
      await bindAccount(prisma(), t.app.communityId, 'wechat', wxChair.id, people.chairId);
      await bindAccount(prisma(), t.app.communityId, 'wechat', wxNeighbour.id, people.neighbourId);
      mocker.login(wxBot);
      await waitFor(async () => ((await prisma().boundChat.findFirst({ where: { purpose: 'staff', channel: 'wechat' } })) ? true : undefined), 'the WeChat staff room to be bound');
    }, 90_000);

    afterAll(() => t?.close());

    it('posts the request with the words to type; /approve by a staff member binds and tells the person, a second one changes nothing', async () => {
      const person = new WebPerson(t.app);
      const number = await askToBeBound(person, { name: '王秀英', address: '团结巷一号', phone: FULL_PHONE });
      const post = await nextInRoom((text) => text.includes(`绑定申请${number}`), 'the post in the room');
      expect(post).toContain('电话：138****5678');
      expect(post).toContain(`/approve ${number}`);
      expect(post).toContain(`/reject ${number}`);

      wxNeighbour.say(`/approve ${number}`).to(room);
      await nextInRoom((text) => text.includes(REFUSED), 'the neighbour refused');
      const before = (await person.received()).length;
      wxChair.say(`/approve ${number}`).to(room);
      await nextInRoom((text) => text.includes(`绑定申请${number}（王秀英）已由李主任批准`), 'the decision line');
      const [notice] = (await person.waitForMessages(before + 1)).slice(before);
      expect(notice!.text).toContain(`您的绑定申请（编号${number}）已批准`);
      wxChair.say(`/reject ${number}`).to(room);
      await nextInRoom((text) => text.includes(`绑定申请${number}此前已批准`), 'the polite answer');
      expect((await prisma().bindingRequest.findFirstOrThrow({ where: { communityId: t.app.communityId, number } })).status).toBe('approved');
      expect(fromBot().some((text) => text.includes(FULL_PHONE))).toBe(false);
    });

    it('rejects by /reject; the person is told', async () => {
      const person = new WebPerson(t.app);
      const number = await askToBeBound(person, { name: '路人乙', address: '不知道哪里', phone: '13044445555' });
      await nextInRoom((text) => text.includes(`绑定申请${number}`), 'the post in the room');
      const before = (await person.received()).length;
      wxChair.say(`/reject ${number}`).to(room);
      await nextInRoom((text) => text.includes(`绑定申请${number}（路人乙）已由李主任拒绝`), 'the decision line');
      const [notice] = (await person.waitForMessages(before + 1)).slice(before);
      expect(notice!.text).toContain("已拒绝：信息没能核实");
    });
  });
});
