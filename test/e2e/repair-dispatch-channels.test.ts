/**
 * Offers of repair jobs reach members on Telegram (real telegraf against the fake Bot API: accept
 * and decline buttons) and on WeChat (real wechaty with the mock puppet: no buttons, so numbered
 * lines answered by the number, and the words "接单 BX-…" typed); each declines one job and
 * accepts another, and the member's day works by number on WeChat.
 */
import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { fileRepairIn } from '../features/repairs/dispatch/app-filing.js';

const DAY = 24 * 3_600_000;
const target = databaseTargets()[0]!;

/** A member's private chat with the bot, whatever the channel. */
interface MemberChat {
  residentId: string;
  /** Presses the button labelled so under the last message that had buttons, or types its number. */
  choose(label: string): Promise<void>;
  say(text: string): Promise<void>;
  /** Every text the bot sent, oldest first. */
  texts(): string[];
}

describe('repair offers over Telegram and WeChat', () => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let reporterId = '';
  const chats: Record<'telegram' | 'wechat', MemberChat> = {} as never;
  const prisma = () => t.app.database.prisma;

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    const mocker = new mock.Mocker();
    const puppet = new RecordingPuppetMock({ mocker });
    t = await startTestApp(target, { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true, wechatPuppet: puppet });
    const communityId = t.app.communityId;
    const lane = await prisma().area.create({ data: { communityId, name: '团结巷', path: '团结巷', depth: 1 } });
    const home = await prisma().household.create({ data: { communityId, code: 'A-0101', address: '团结巷3号', areaId: lane.id } });
    reporterId = (await prisma().resident.create({ data: { communityId, householdId: home.id, name: '张三' } })).id;
    const since = new Date(Date.now() - DAY);
    const member = async (name: string, channel: 'telegram' | 'wechat', externalId: string) => {
      const resident = await prisma().resident.create({ data: { communityId, name } });
      await prisma().roleAssignment.create({ data: { communityId, residentId: resident.id, role: 'service_team', skills: ['plumbing'], startsOn: since } });
      await prisma().chatAccount.create({ data: { communityId, channel, externalId, residentId: resident.id, boundAt: since, locale: 'zh-CN' } });
      return resident.id;
    };

    const user = telegram.createUser({ language_code: 'zh-hans' });
    chats.telegram = {
      residentId: await member('钱师傅', 'telegram', String(user.id)),
      async choose(label) {
        const withKeyboard = [...telegram.sentTo(user.id)].reverse().find((m) => m.keyboard);
        const button = withKeyboard?.keyboard?.flat().find((b) => b.text.includes(label));
        if (!withKeyboard || !button?.callback_data) throw new Error(`no button ${label}`);
        telegram.userPresses(user.id, user, withKeyboard.messageId, button.callback_data);
      },
      async say(text) {
        telegram.userSays(user, user, text);
      },
      texts: () => telegram.sentTo(user.id).map((m) => m.text ?? ''),
    };

    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    const contact = mocker.createContact({ name: '孙师傅', avatar: '' });
    const seen: string[] = [];
    (contact as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string } }) => {
      if (message.payload.talkerId === bot.id) seen.push(message.payload.text ?? '');
    });
    mocker.login(bot);
    chats.wechat = {
      residentId: await member('孙师傅', 'wechat', contact.id),
      async choose(label) {
        // No buttons on WeChat: the choices are numbered lines, answered with the number.
        const listed = [...seen].reverse().find((text) => /^\d+\. /m.test(text)) ?? '';
        const line = listed.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
        if (!line) throw new Error(`no numbered choice ${label} in ${listed}`);
        contact.say(line.split('.')[0]!).to(bot);
      },
      async say(text) {
        contact.say(text).to(bot);
      },
      texts: () => [...seen],
    };
    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  const lastText = (chat: MemberChat) => chat.texts().at(-1) ?? '';
  const waitForText = (chat: MemberChat, part: string) => waitFor(() => chat.texts().find((text) => text.includes(part)), `"${part}" in a member's chat`);
  const offeredOf = async (number: string) => {
    const offer = await waitFor(() => prisma().dispatchOffer.findFirst({ where: { workOrder: { ticket: { number } }, status: 'open' } }), `the offer of ${number}`);
    const chat = offer.memberId === chats.telegram.residentId ? chats.telegram : chats.wechat;
    await waitFor(() => (lastText(chat).includes(number) ? true : undefined), `the offer of ${number} in chat`);
    return chat;
  };

  it('each member declines one job and accepts the other, by button on Telegram and by number on WeChat', async () => {
    const first = await fileRepairIn(t.app, reporterId);
    const x = await offeredOf(first.number);
    const y = x === chats.telegram ? chats.wechat : chats.telegram;
    if (x === chats.wechat) expect(lastText(x)).toContain('1. ✅接单');
    await x.choose('不接');
    await waitForText(x, `${first.number}已转给其他队员`);
    expect(await offeredOf(first.number)).toBe(y);
    await y.choose('接单');
    await waitForText(y, `您已接下${first.number}`);

    // The second job goes first to the member with no job in hand: the one who declined.
    const second = await fileRepairIn(t.app, reporterId, { job: 'no_water' });
    expect(await offeredOf(second.number)).toBe(x);
    await x.choose('接单');
    await waitForText(x, `您已接下${second.number}`);
    const orders = await prisma().workOrder.findMany({ where: { ticket: { number: { in: [first.number, second.number] } } }, include: { ticket: true } });
    expect(Object.fromEntries(orders.map((o) => [o.ticket.number, o.memberId]))).toEqual({ [first.number]: y.residentId, [second.number]: x.residentId });
  });

  it('takes "接单 BX-…" typed on WeChat, and runs the day by number', async () => {
    // Both members hold a job: the Telegram member is away, so the WeChat member is offered it.
    await prisma().serviceMember.create({ data: { residentId: chats.telegram.residentId, communityId: t.app.communityId, awaySince: new Date() } });
    const third = await fileRepairIn(t.app, reporterId, { job: 'water_leak' });
    expect(await offeredOf(third.number)).toBe(chats.wechat);
    await chats.wechat.say(`接单 ${third.number}`);
    await waitForText(chats.wechat, `您已接下${third.number}`);
    const day = await waitForText(chats.wechat, '您手上有2项任务');
    expect(day).toContain(third.number);
    await chats.wechat.choose(third.number);
    await waitFor(() => (lastText(chats.wechat).includes('🚶出发') ? true : undefined), 'the job view');
    await chats.wechat.choose('出发');
    await waitForText(chats.wechat, '已告诉居民您正在路上');
    expect((await prisma().workOrder.findFirstOrThrow({ where: { ticket: { number: third.number } } })).status).toBe('on_the_way');
  });
});
