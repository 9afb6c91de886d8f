/**
 * An alert with its roll-call over Telegram (real telegraf against the fake Bot API: buttons) and
 * WeChat (real wechaty with the mock puppet: numbered lines, answered by "1"), on a fake clock: the
 * group's head binds the household group's Telegram chat (`/bind_group`), a committee member types
 * `/alert all …` in the Telegram staff group and presses 发送 under the preview; a
 * resident on Telegram presses 需要帮助 (an urgent ticket, its number and the emergency lines), a
 * resident on WeChat replies 1 (收到 / 平安), a member presses 收到 under the alert in the group's
 * Telegram chat (their own household); at exactly 10 minutes the group's head, on Telegram, gets
 * the group's households not answered and taps one reached; at exactly 30 minutes the lane's
 * steward, on WeChat, gets the rest as numbered lines and replies a number to mark one reached;
 * `/rollcall` in the Telegram staff group answers with the counts.
 */
import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { jobIds } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import type { SentAlert } from '../support/alerts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { textOf } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';

const DAY = 24 * 3_600_000;
const MINUTE = 60_000;
const target = databaseTargets()[0]!;

describe('an alert’s roll-call over Telegram and WeChat', () => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let staffGroup: FakeChat;
  let householdGroup: FakeChat;
  let now = new Date();
  let t0 = now;
  let alert: SentAlert;
  const tg = {} as Record<'head' | 'wu' | 'sun' | 'chair', FakeUser>;
  const wx: Record<'zhou' | 'li', { say(text: string): void; seen: string[] }> = {} as never;
  const homes: Record<string, string> = {};
  const prisma = () => t.app.database.prisma;

  const telegramText = (chat: FakeUser | FakeChat, part: string) => waitFor(() => telegram.sentTo(chat).find((m) => textOf(m).includes(part)), `"${part}" on Telegram`);
  const wechatText = (who: 'zhou' | 'li', part: string) => waitFor(() => wx[who].seen.find((text) => text.includes(part)), `"${part}" on WeChat`);
  const buttonOf = (message: SentMessage, label: string) => {
    const found = message.keyboard?.flat().find((b) => b.text.includes(label));
    if (!found?.callback_data) throw new Error(`no button ${label} in ${message.keyboard?.flat().map((b) => b.text).join(', ')}`);
    return found.callback_data;
  };
  const runJob = async (stage: 'heads' | 'stewards') => {
    const job = await waitFor(() => t.app.queues.queue(QueueNames.noticeRollCalls).getJob(jobIds['notice-roll-calls']({ noticeId: alert.noticeId, stage })), `the ${stage} job`);
    await job.promote();
  };

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    staffGroup = telegram.createGroup({ title: '社区工作群', type: 'supergroup' });
    householdGroup = telegram.createGroup({ title: 'G-01联户群', type: 'group' });
    const mocker = new mock.Mocker();
    const puppet = new RecordingPuppetMock({ mocker });
    t0 = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    now = t0;
    t = await startTestApp(
      target,
      { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_STAFF_CHAT_ID: String(staffGroup.id), FLOOD_MAX_MESSAGES: '1000' },
      undefined,
      { serve: true, wechatPuppet: puppet, clock: () => now },
    );
    const communityId = t.app.communityId;
    const since = new Date(Date.now() - DAY);
    const lane = await prisma().area.create({ data: { communityId, name: '团结巷', path: '团结巷', depth: 1 } });
    const group = await prisma().householdGroup.create({ data: { communityId, code: 'G-01' } });
    let phone = 13900000000;
    const home = async (code: string, address: string, grouped: boolean) => {
      homes[code] = (await prisma().household.create({ data: { communityId, code, address, areaId: lane.id, groupId: grouped ? group.id : null } })).id;
      return homes[code]!;
    };
    const person = async (name: string, householdId: string | null, channel: 'telegram' | 'wechat', externalId: string) => {
      phone += 1234;
      const resident = await prisma().resident.create({ data: { communityId, name, householdId, phone: String(phone) } });
      await prisma().chatAccount.create({ data: { communityId, channel, externalId, residentId: resident.id, boundAt: since, locale: 'zh-CN' } });
      return resident.id;
    };
    for (const name of ['head', 'wu', 'sun', 'chair'] as const) tg[name] = telegram.createUser({ language_code: 'zh-hans' });
    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    const contacts = { zhou: mocker.createContact({ name: '周大爷', avatar: '' }), li: mocker.createContact({ name: '李干部', avatar: '' }), zheng: mocker.createContact({ name: '郑阿姨', avatar: '' }) };
    for (const who of ['zhou', 'li'] as const) {
      const seen: string[] = [];
      (contacts[who] as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string } }) => {
        if (message.payload.talkerId === bot.id) seen.push(message.payload.text ?? '');
      });
      wx[who] = { seen, say: (text) => void contacts[who].say(text).to(bot) };
    }
    mocker.login(bot);

    const headId = await person('赵建国', await home('A-01', '团结巷1号', true), 'telegram', String(tg.head.id));
    await prisma().householdGroup.update({ where: { id: group.id }, data: { headId } });
    await person('周大爷', await home('A-02', '团结巷2号', true), 'wechat', contacts.zhou.id);
    await person('吴奶奶', await home('A-03', '团结巷3号', true), 'telegram', String(tg.wu.id));
    await person('郑阿姨', await home('A-04', '团结巷4号', true), 'wechat', contacts.zheng.id);
    await person('王师傅', await home('A-05', '团结巷5号', false), 'wechat', mocker.createContact({ name: '王师傅', avatar: '' }).id);
    await person('孙立新', await home('A-06', '团结巷6号', true), 'telegram', String(tg.sun.id));
    const stewardId = await person('李干部', null, 'wechat', contacts.li.id);
    await prisma().roleAssignment.create({ data: { communityId, residentId: stewardId, role: 'steward', areaId: lane.id, startsOn: since } });
    const chairId = await person('马主任', null, 'telegram', String(tg.chair.id));
    await prisma().roleAssignment.create({ data: { communityId, residentId: chairId, role: 'committee', startsOn: since } });

    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');
    // The head binds the group's chat to it; the committee member sends the alert from the staff group.
    telegram.userSays(householdGroup, tg.head, '/bind_group household_group G-01');
    await telegramText(householdGroup, '本群已绑定为');
    telegram.userSays(staffGroup, tg.chair, '/alert all 燃气泄漏紧急通知\n小区燃气管道泄漏，请立即关阀开窗、不要开关电器，并确认家中平安。');
    const preview = await telegramText(staffGroup, '（草稿）');
    // Everyone: the six households, the steward and the committee member themselves, and the group's chat.
    expect(textOf(preview)).toContain('将立即发给8个私聊（6户）和1个群');
    const number = /TZ-\d{4}-\d+/.exec(textOf(preview))![0];
    telegram.userPresses(staffGroup, tg.chair, preview.messageId, buttonOf(preview, '发送'));
    const sent = await waitFor(() => prisma().notice.findFirst({ where: { number, status: 'sent' }, select: { id: true } }), 'the alert sent');
    alert = { noticeId: sent.id, number };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  it('takes 需要帮助 on Telegram, 1 on WeChat and 收到 in the household group’s chat', async () => {
    const wuAlert = await telegramText(tg.wu, '燃气泄漏紧急通知');
    expect(wuAlert.keyboard?.flat().map((b) => b.text)).toEqual(['✅收到/平安', '🆘需要帮助']);
    telegram.userPresses(tg.wu, tg.wu, wuAlert.messageId, buttonOf(wuAlert, '需要帮助'));
    const helped = await telegramText(tg.wu, '已为您家登记求助');
    const answer = await prisma().noticeAnswer.findUniqueOrThrow({ where: { noticeId_householdId: { noticeId: alert.noticeId, householdId: homes['A-03']! } } });
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: answer.ticketId! } });
    expect(textOf(helped)).toContain(`工单号${ticket.number}`);
    expect(textOf(helped)).toContain('119');
    expect(ticket.category).toBe('public_security');
    // The staff group gets the ticket's card, as for every ticket.
    await telegramText(staffGroup, ticket.number);

    const zhouAlert = await wechatText('zhou', '燃气泄漏紧急通知');
    expect(zhouAlert).toContain('1. ✅收到/平安');
    expect(zhouAlert).toContain('2. 🆘需要帮助');
    wx.zhou.say('1');
    await wechatText('zhou', '已收到您家的回复：平安');

    const inGroup = await telegramText(householdGroup, '燃气泄漏紧急通知');
    telegram.userPresses(householdGroup, tg.sun, inGroup.messageId, buttonOf(inGroup, '收到'));
    await telegramText(householdGroup, '已收到您家的回复：平安');
    const answers = await prisma().noticeAnswer.findMany({ where: { noticeId: alert.noticeId }, orderBy: { householdId: 'asc' } });
    expect(answers.map((a) => [a.householdId, a.answer]).sort()).toEqual(
      [
        [homes['A-02'], 'ok'],
        [homes['A-03'], 'help'],
        [homes['A-06'], 'ok'],
      ].sort(),
    );
  });

  it('gives the head on Telegram the group’s unanswered households at 10 minutes, and the steward on WeChat the rest at 30', async () => {
    now = new Date(t0.getTime() + 10 * MINUTE);
    await runJob('heads');
    const list = await telegramText(tg.head, '【应急点名】');
    expect(textOf(list)).toContain('您组里还有2户没有回复');
    expect(textOf(list)).toContain('团结巷1号：赵建国（');
    expect(textOf(list)).toContain('团结巷4号：郑阿姨（');
    expect(textOf(list)).not.toContain('团结巷5号');
    expect(textOf(list)).toMatch(/139\*{4}\d{4}/);
    telegram.userPresses(tg.head, tg.head, list.messageId, buttonOf(list, '团结巷4号'));
    await telegramText(tg.head, '已记下：团结巷4号已电话联系');

    now = new Date(t0.getTime() + 30 * MINUTE);
    await runJob('stewards');
    const stewardList = await wechatText('li', '【应急点名】');
    expect(stewardList).toContain('您片区还有2户没有回复');
    expect(stewardList).toContain('1. [G-01] 团结巷1号：赵建国（');
    expect(stewardList).toContain('2. [未分组] 团结巷5号：王师傅（');
    wx.li.say('2');
    await wechatText('li', '已记下：团结巷5号已电话联系');
    const reached = await prisma().noticeAnswer.findMany({ where: { noticeId: alert.noticeId, answer: 'reached' } });
    expect(reached.map((a) => a.householdId).sort()).toEqual([homes['A-04'], homes['A-05']].sort());
  });

  it('answers /rollcall in the staff group with the counts by area and group', async () => {
    telegram.userSays(staffGroup, tg.chair, '/rollcall');
    const counts = await telegramText(staffGroup, '回复情况');
    expect(textOf(counts)).toContain(`应急通知${alert.number}「燃气泄漏紧急通知」`);
    expect(textOf(counts)).toContain('共6户：平安2，求助1，已电话联系2，未回复1');
    expect(textOf(counts)).toContain('· 团结巷：共6户');
    expect(textOf(counts)).toContain('· G-01：共5户：平安2，求助1，已电话联系1，未回复1');
    expect(textOf(counts)).toContain('· 未分组：共1户：平安0，求助0，已电话联系1，未回复0');
    // Outside the staff group it is refused politely.
    telegram.userSays(tg.chair, tg.chair, `/rollcall ${alert.number}`);
    await telegramText(tg.chair, '只能由社区工作人员在社区工作群里使用');
  });
});
