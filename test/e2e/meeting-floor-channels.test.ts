/**
 * A representatives' assembly run from the staff chat (a Telegram forum, real telegraf against
 * the fake Bot API), its representatives on Telegram (buttons), WeChat (wechaty with the mock
 * puppet: numbered lines and the room's code typed) and the web chat (buttons): check-in by
 * button and by code, the quorum, an open and a secret vote published as disclosure notices,
 * the evaluation poll ordering rectification, a petition becoming binding, a recall ending a
 * member's term, and the sitting closed with a vote still open.
 */
import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount } from '../inbox/support.js';
import { startTestApp, WebPerson, button, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { createMeeting, createRepresentatives, type TestMeeting } from '../support/meetings.js';
import { waitFor } from '../support/wait-for.js';

const target = databaseTargets()[0]!;

/** A representative's private chat with the bot, whatever the channel. */
interface RepChat {
  residentId: string;
  /** Presses the button labelled so under the latest message that has it, or types its number. */
  choose(label: string): Promise<void>;
  say(text: string): Promise<void>;
  texts(): Promise<string[]>;
}

describe('a sitting over Telegram, WeChat and the web chat', () => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let forum: FakeChat;
  let chair: FakeUser;
  let meeting: TestMeeting;
  const reps: Record<'telegram' | 'wechat' | 'web', RepChat> = {} as never;
  const prisma = () => t.app.database.prisma;
  const forumTexts = () => telegram.sentTo(forum.id).map((m) => m.text ?? '');
  const staff = (text: string) => telegram.userSays(forum, chair, text);
  const waitForForum = (part: string) => waitFor(() => forumTexts().find((text) => text.includes(part)), `"${part}" in the staff chat`);
  const waitForText = (chat: RepChat, part: string) => waitFor(async () => (await chat.texts()).find((text) => text.includes(part)), `"${part}" in a representative's chat`);

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 50 });
    forum = telegram.createGroup({ title: '社区工作群', type: 'supergroup', isForum: true });
    const mocker = new mock.Mocker();
    const puppet = new RecordingPuppetMock({ mocker });
    t = await startTestApp(
      target,
      { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_STAFF_CHAT_ID: String(forum.id), FLOOD_MAX_MESSAGES: '1000' },
      undefined,
      { serve: true, wechatPuppet: puppet },
    );
    const communityId = t.app.communityId;
    const chairId = (await prisma().resident.create({ data: { communityId, name: '李主任' } })).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: chairId, role: 'committee', startsOn: new Date(Date.now() - 86_400_000) } });
    chair = telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), communityId, 'telegram', String(chair.id), chairId);
    // Five representatives on the roll: three take part, two stay away (the quorum is 3).
    const [tgId, wxId, webId] = await createRepresentatives(prisma(), communityId, ['周代表', '吴代表', '郑代表', '王代表', '冯代表']);

    const user = telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), communityId, 'telegram', String(user.id), tgId!);
    reps.telegram = {
      residentId: tgId!,
      async choose(label) {
        const withKeyboard = [...telegram.sentTo(user.id)].reverse().find((m) => m.keyboard?.flat().some((b) => b.text.includes(label)));
        const pressed = withKeyboard?.keyboard?.flat().find((b) => b.text.includes(label));
        if (!withKeyboard || !pressed?.callback_data) throw new Error(`no button ${label}`);
        telegram.userPresses(user.id, user, withKeyboard.messageId, pressed.callback_data);
      },
      async say(text) {
        telegram.userSays(user, user, text);
      },
      texts: async () => telegram.sentTo(user.id).map((m) => m.text ?? ''),
    };

    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    const contact = mocker.createContact({ name: '吴代表', avatar: '' });
    const seen: string[] = [];
    (contact as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string } }) => {
      if (message.payload.talkerId === bot.id) seen.push(message.payload.text ?? '');
    });
    mocker.login(bot);
    await bindAccount(prisma(), communityId, 'wechat', contact.id, wxId!);
    reps.wechat = {
      residentId: wxId!,
      async choose(label) {
        // No buttons on WeChat: numbered lines, answered by the number.
        const listed = [...seen].reverse().find((text) => text.split('\n').some((l) => /^\d+\. /.test(l) && l.includes(label))) ?? '';
        const line = listed.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
        if (!line) throw new Error(`no numbered choice ${label}`);
        contact.say(line.split('.')[0]!).to(bot);
      },
      async say(text) {
        contact.say(text).to(bot);
      },
      texts: async () => [...seen],
    };

    const browser = new WebPerson(t.app);
    await bindAccount(prisma(), communityId, 'web', browser.sessionId, webId!);
    reps.web = {
      residentId: webId!,
      async choose(label) {
        const messages = await browser.received();
        const withButton = [...messages].reverse().find((m) => m.choices?.some((c) => c.label.includes(label)));
        await browser.press(button(withButton, label));
      },
      async say(text) {
        await browser.say(text);
      },
      texts: async () => (await browser.received()).map((m) => m.text),
    };
    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');
    // It starts in ten minutes: check-in is open (from 30 minutes before).
    meeting = await createMeeting(prisma(), communityId, { startsAt: new Date(Date.now() + 10 * 60_000), invitees: [tgId!, wxId!, webId!], title: '第三季度居民代表大会' });
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  it('opens check-in; representatives check in by button and by the room code; the quorum holds at 3 of 5', async () => {
    staff(`/checkin_open ${meeting.number}`);
    const opened = await waitForForum(`会议${meeting.number}开始签到`);
    expect(opened).toContain('应到代表5人，过半数即3人到会方可表决');
    const code = /签到码：(\d{6})/.exec(opened)![1]!;

    await waitForText(reps.telegram, '开始签到了');
    await reps.telegram.choose('签到');
    await waitForText(reps.telegram, `签到成功：会议${meeting.number}`);

    staff(`/attendance ${meeting.number}`);
    await waitForForum('其中代表1人，应到5人，需3人。❌未过半数');

    // A wrong code first: politely refused, nothing recorded.
    await reps.wechat.say('000000' === code ? '111111' : '000000');
    await waitForText(reps.wechat, '签到码不对');
    await reps.wechat.say(code);
    await waitForText(reps.wechat, `签到成功：会议${meeting.number}`);
    await waitForText(reps.web, '开始签到了');
    await reps.web.choose('签到');
    await waitForText(reps.web, `签到成功：会议${meeting.number}`);

    staff(`/attendance ${meeting.number}`);
    await waitForForum('其中代表3人，应到5人，需3人。✅已过半数');
    const invitations = await prisma().meetingInvitation.findMany({ where: { meetingId: meeting.id }, select: { residentId: true, checkedInBy: true } });
    expect(Object.fromEntries(invitations.map((i) => [i.residentId, i.checkedInBy]))).toEqual({
      [reps.telegram.residentId]: 'button',
      [reps.wechat.residentId]: 'code',
      [reps.web.residentId]: 'button',
    });
  });

  it('takes an open vote in chat, changeable until it closes, and publishes it with names', async () => {
    staff(`/motion ${meeting.number} 修缮3号院车棚`);
    await waitForForum('议题1：「修缮3号院车棚」（记名表决）');
    staff(`/vote_open ${meeting.number} 1`);
    await waitForForum('开始表决，已发给3位到会人员');
    for (const rep of Object.values(reps)) await waitForText(rep, '请表决（记名');
    await reps.telegram.choose('赞成');
    await waitForText(reps.telegram, '您选择“赞成”');
    await reps.wechat.choose('反对');
    await waitForText(reps.wechat, '您选择“反对”');
    await reps.web.choose('反对');
    await waitForText(reps.web, '您选择“反对”');
    // Changed before the close: 2 yes of 3 present passes.
    await reps.web.choose('赞成');
    await waitForText(reps.web, '已改为“赞成”');
    staff(`/vote_close ${meeting.number} 1`);
    await waitForForum('到会3人，赞成2，反对1，弃权0。✅通过');
    const motion = await prisma().motion.findFirstOrThrow({ where: { meetingId: meeting.id, position: 1 } });
    expect(motion).toMatchObject({ status: 'closed', result: 'passed', presentAtClose: 3, yes: 2, no: 1, abstain: 0 });
    const notice = await prisma().notice.findUniqueOrThrow({ where: { id: motion.noticeId! } });
    expect(notice.kind).toBe('disclosure');
    expect(notice.body).toContain('赞成：周代表、郑代表');
    expect(notice.body).toContain('反对：吴代表');
    await waitForText(reps.wechat, '【表决结果公示】');
  });

  it('takes a secret vote: exactly half of those present fails, and no name is kept or published', async () => {
    staff(`/motion_secret ${meeting.number} 更换保洁公司`);
    await waitForForum('议题2：「更换保洁公司」（无记名表决）');
    staff(`/vote_open ${meeting.number} 2`);
    for (const rep of Object.values(reps)) await waitForText(rep, '请表决（无记名');
    await reps.telegram.choose('赞成');
    await reps.wechat.choose('弃权');
    await reps.web.choose('反对');
    await waitForText(reps.web, '您选择“反对”');
    await waitForText(reps.wechat, '您选择“弃权”');
    await waitForText(reps.telegram, '更换保洁公司」，您选择“赞成”');
    staff(`/vote_close ${meeting.number} 2`);
    await waitForForum('到会3人，赞成1，反对1，弃权1。❌未通过');
    const motion = await prisma().motion.findFirstOrThrow({ where: { meetingId: meeting.id, position: 2 }, include: { votes: true } });
    expect(motion.votes.map((v) => v.residentId)).toEqual([null, null, null]);
    const notice = await prisma().notice.findUniqueOrThrow({ where: { id: motion.noticeId! } });
    expect(notice.body).toContain('不公布投票人姓名');
    expect(notice.body).not.toMatch(/周代表|吴代表|郑代表/);
  });

  it('runs the evaluation poll: 1 of 3 satisfied is below 60 %, the committee is told', async () => {
    staff(`/poll_open ${meeting.number}`);
    await waitForForum('评议开始，已发给3位到会代表');
    for (const rep of Object.values(reps)) await waitForText(rep, '民主评议：您对居委会的工作是否满意');
    await reps.telegram.choose('基本满意');
    await reps.wechat.choose('不满意');
    await reps.web.choose('不满意');
    for (const rep of Object.values(reps)) await waitForText(rep, '您的评议已记录');
    staff(`/poll_close ${meeting.number}`);
    await waitForForum('满意率33%（1/3），低于60%，已标记为需要整改');
    await waitForForum('⚠️整改通知');
    const poll = await prisma().evaluationPoll.findFirstOrThrow({ where: { meetingId: meeting.id } });
    expect(poll).toMatchObject({ status: 'closed', satisfied: 1, answered: 3 });
    expect(poll.rectifyAt).not.toBeNull();
  });

  it('makes a petition binding at ⅓ of the representatives (2 of 5), and tells the committee at once', async () => {
    await reps.telegram.say('发起联名 讨论老旧小区改造');
    const started = await waitForText(reps.telegram, '您已签署联名QZ-');
    expect(started).toContain('代表1/2');
    const number = /联名(QZ-\d{4}-\d{5})/.exec(started)![1]!;
    expect((await prisma().petition.findFirstOrThrow({ where: { number } })).status).toBe('open');
    await reps.wechat.say(`联名 ${number}`);
    await waitForText(reps.wechat, `联名${number}「讨论老旧小区改造」已达到三分之一以上居民代表提议`);
    await waitForForum(`📣提议召开临时会议：联名${number}「讨论老旧小区改造」已达到三分之一以上居民代表（2/5，需2）`);
    const petition = await prisma().petition.findFirstOrThrow({ where: { number }, include: { signatures: true } });
    expect(petition).toMatchObject({ status: 'binding', thresholdMet: 'representatives' });
    expect(petition.signatures.every((s) => s.isRepresentative)).toBe(true);
    // A third signature changes nothing: it was binding already.
    await reps.web.say(`联名 ${number}`);
    await waitForText(reps.web, `联名${number}已达到三分之一以上居民代表提议`);
  });
  it('recalls a committee member with 2 yes of 3 present: their term ends, they and the committee are told', async () => {
    const communityId = t.app.communityId;
    const memberId = (await prisma().resident.create({ data: { communityId, name: '钱委员' } })).id;
    const term = await prisma().roleAssignment.create({ data: { communityId, residentId: memberId, role: 'committee', startsOn: new Date(Date.now() - 86_400_000) } });
    const member = telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), communityId, 'telegram', String(member.id), memberId);
    staff(`/motion_recall ${meeting.number} 钱委员`);
    await waitForForum('「钱委员」（无记名表决）');
    const position = (await prisma().motion.findFirstOrThrow({ where: { meetingId: meeting.id, kind: 'recall' } })).position;
    staff(`/vote_open ${meeting.number} ${position}`);
    for (const rep of Object.values(reps)) await waitForText(rep, '「钱委员」\n请表决（无记名');
    await reps.telegram.choose('赞成');
    await reps.wechat.choose('赞成');
    await reps.web.choose('反对');
    await waitForText(reps.web, '钱委员」，您选择“反对”');
    await waitForText(reps.wechat, '钱委员」，您选择“赞成”');
    await waitForText(reps.telegram, '钱委员」，您选择“赞成”');
    staff(`/vote_close ${meeting.number} ${position}`);
    await waitForForum('通过罢免钱委员，其居委会委员职务即时终止');
    await waitFor(() => telegram.sentTo(member.id).find((m) => (m.text ?? '').includes('您的居委会委员职务自即日起终止')), 'the member told');
    expect((await prisma().roleAssignment.findUniqueOrThrow({ where: { id: term.id } })).endsOn!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('closes the sitting from the staff chat with a vote still open; check-in and that vote are then refused politely', async () => {
    staff(`/motion ${meeting.number} 增设路灯`);
    await waitForForum('「增设路灯」（记名表决）');
    const position = (await prisma().motion.findFirstOrThrow({ where: { meetingId: meeting.id, title: '增设路灯' } })).position;
    staff(`/vote_open ${meeting.number} ${position}`);
    await waitForText(reps.wechat, '「增设路灯」\n请表决（记名');
    await reps.telegram.choose('赞成');
    await waitForText(reps.telegram, '增设路灯」，您选择“赞成”');
    staff(`/close_meeting ${meeting.number}`);
    await waitForForum(`会议${meeting.number}已闭会，会议记录已定稿。仍在进行的1项表决已按当时票数结束计票并公示`);
    expect(await prisma().meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ status: 'closed', closedAt: expect.any(Date) });
    expect(await prisma().motion.findFirstOrThrow({ where: { meetingId: meeting.id, title: '增设路灯' } })).toMatchObject({ status: 'closed', yes: 1, presentAtClose: 3, result: 'failed' });
    // The ballot still on the screen, pressed after the close.
    await reps.web.choose('赞成');
    await waitForText(reps.web, '这次会议已经闭会，表决已经结束');
    await reps.wechat.say(`/checkin ${meeting.number}`);
    await waitForText(reps.wechat, `会议${meeting.number}已经闭会，不能再签到了`);
  });
});
