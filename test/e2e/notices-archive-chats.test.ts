/**
 * The notices archive (📢 通知公告) end to end, on Telegram (real telegraf against the fake Bot API:
 * buttons), WeChat (real wechaty with the mock puppet: numbered replies) and the web chat, one app
 * serving all three: a resident opens 通知公告 from the menu and sees the latest notices for them
 * (their zone's too, the disclosure marked 【公开】, not another zone's), opens one and reads it
 * in full with its photo and answers its "收到" (the button, or "1" on WeChat), then searches with
 * their own words — "什么时候停水？" finds the water cut and not the power cut — and opens what
 * they found. A
 * visitor sees only the notices for everyone; someone who chose English reads and searches the
 * English version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { storePhoto } from '../../src/channels/media/photo-files.js';
import type { OutboundMessage } from '../../src/channels/types.js';
import type { Prisma } from '../../src/db/prisma-types.js';
import { noticeSearchText } from '../../src/features/notices/archive/notice-search-text.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { fakeJpeg } from '../fakes/telegram-bot-api/sample-files.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { TelegramChat, textOf, WeChatChat } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';

const HOUR = 3_600_000;
const LATEST = '最新通知（第1–8条，共9条）';

/** A chat as the journey drives it: what is typed, what is picked, the texts that come back. */
interface Chat {
  says(text: string, replies: number): Promise<string[]>;
  picks(label: string, replies: number): Promise<string[]>;
}

function webChat(person: WebPerson): Chat {
  let last: OutboundMessage | undefined;
  const keep = (messages: OutboundMessage[]) => {
    last = [...messages].reverse().find((m) => m.choices?.length) ?? last;
    // A photo's caption is its text; the photo itself is named so the journey can see it came.
    return messages.map((m) => (m.photo ? `[photo]${m.text}` : m.text) + (m.choices ? `\n${m.choices.map((c) => `[${c.label}]`).join('')}` : ''));
  };
  return {
    says: async (text, replies) => keep(await person.ask(text, replies)),
    picks: async (label, replies) => keep(await person.pressAndWait(button(last, label), replies)),
  };
}

function telegramChat(chat: TelegramChat): Chat {
  const texts = (messages: Awaited<ReturnType<TelegramChat['next']>>) =>
    messages.map((m) => (m.photo ? `[photo]${textOf(m)}` : textOf(m)) + (m.keyboard ? `\n${m.keyboard.flat().map((b) => `[${b.text}]`).join('')}` : ''));
  return {
    says: async (text, replies) => texts(await chat.says(text, replies)),
    picks: async (label, replies) => texts(await chat.presses(label, replies)),
  };
}

function wechatChat(chat: WeChatChat): Chat {
  return {
    says: (text, replies) => chat.says(text, replies),
    picks: (label, replies) => chat.says(chat.numberOf(label), replies),
  };
}

describe.each(databaseTargets())('the notices archive over the chats on %s', (target) => {
  let telegram: FakeTelegramBotApi;
  let t: TestApp;
  let people: InboxPeople;
  const chats: Record<string, Chat> = {};
  let visitor: Chat;
  let wechatAccountId = '';
  let englishReader: Chat;

  async function addNotice(fields: { title: string; body: string; kind?: string; audience: Prisma.InputJsonValue; hoursAgo: number; photoRef?: string; asksConfirmation?: boolean; versions?: Record<string, { title: string; body: string }> }) {
    const prisma = t.app.database.prisma;
    const count = await prisma.notice.count();
    await prisma.notice.create({
      data: {
        communityId: t.app.communityId,
        number: `TZ-2026-${String(count + 1).padStart(5, '0')}`,
        kind: fields.kind ?? 'notice',
        locale: 'zh-CN',
        title: fields.title,
        body: fields.body,
        audience: fields.audience,
        versions: fields.versions ?? {},
        status: 'sent',
        sentAt: new Date(Date.now() - fields.hoursAgo * HOUR),
        photoRef: fields.photoRef ?? null,
        asksConfirmation: fields.asksConfirmation ?? false,
        searchText: noticeSearchText(fields),
      },
    });
  }

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    const mocker = new mock.Mocker();
    const puppet = new RecordingPuppetMock({ mocker });
    t = await startTestApp(
      target,
      { ...TEST_PACING, FLOOD_MAX_MESSAGES: '1000', TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot },
      undefined,
      { serve: true, wechatPuppet: puppet },
    );
    const prisma = t.app.database.prisma;
    people = await seedInboxPeople(prisma, t.app.communityId);
    const elsewhere = await seedInboxPeople(prisma, t.app.communityId);
    const photoRef = await storePhoto(t.app.config.DATA_DIR, fakeJpeg(4000), 'image/jpeg');
    const everyone = { everyone: true };
    await addNotice({ title: '停水通知', body: '因管网改造，12月10日8:00至18:00全体住户停水，请提前储水。', audience: everyone, hoursAgo: 1, photoRef, asksConfirmation: true });
    await addNotice({
      title: '计划停电通知',
      body: '12月12日9:00至15:00线路检修停电，电梯暂停运行。',
      audience: everyone,
      hoursAgo: 2,
      versions: { en: { title: 'Planned power cut', body: 'Power is off on 12 December from 9:00 to 15:00 for line repairs; the lifts stop.' } },
    });
    await addNotice({ title: '片区暖气试水', body: '本片区12月9日供暖管道试水，请检查暖气片阀门。', audience: { areaIds: [people.areaId] }, hoursAgo: 3 });
    await addNotice({ title: '另一片区的垃圾清运', body: '另一片区的通知。', audience: { areaIds: [elsewhere.areaId] }, hoursAgo: 4 });
    await addNotice({ title: '物业基金11月收支', body: '11月收入3,200元，支出850元。', kind: 'disclosure', audience: everyone, hoursAgo: 5 });
    await addNotice({ title: '垃圾分类投放新规', body: '厨余垃圾、可回收物分类投放。', audience: everyone, hoursAgo: 6 });
    await addNotice({ title: '社区图书室开放时间', body: '每周二至周日开放。', audience: everyone, hoursAgo: 7 });
    await addNotice({ title: '冬季消防演练', body: '12月20日在中心广场演练。', audience: everyone, hoursAgo: 8 });
    await addNotice({ title: '燃气安全入户检查', body: '12月14日起入户检查燃气管道。', audience: everyone, hoursAgo: 9 });
    await addNotice({ title: '元旦联欢会', body: '欢迎报名表演节目。', audience: everyone, hoursAgo: 10 });

    const tgUser = new TelegramChat(telegram, telegram.createUser({ language_code: 'zh-hans' }));
    await bindAccount(prisma, t.app.communityId, 'telegram', String(tgUser.user.id), people.residentId);
    chats['Telegram'] = telegramChat(tgUser);

    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    const wxUser = new WeChatChat(mocker.createContact({ name: '王秀英', avatar: '' }), bot);
    wechatAccountId = await bindAccount(prisma, t.app.communityId, 'wechat', wxUser.contact.id, people.residentId);
    chats['WeChat'] = wechatChat(wxUser);
    mocker.login(bot);
    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');

    const webUser = new WebPerson(t.app);
    await bindAccount(prisma, t.app.communityId, 'web', webUser.sessionId, people.residentId);
    chats['the web chat'] = webChat(webUser);
    visitor = webChat(new WebPerson(t.app));
    const english = new WebPerson(t.app);
    const englishAccount = await bindAccount(prisma, t.app.communityId, 'web', english.sessionId, people.neighbourId);
    await prisma.chatAccount.update({ where: { id: englishAccount }, data: { locale: 'en' } });
    englishReader = webChat(english);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  // On WeChat a photo comes as its own message before its text: one message more.
  const photoMessages = (channel: string) => (channel === 'WeChat' ? 2 : 1);

  it.each(['Telegram', 'WeChat', 'the web chat'])('on %s a resident opens 通知公告, reads one, and finds the water cut with their own words', async (channel) => {
    const chat = chats[channel]!;
    const [menu] = await chat.says('菜单', 1);
    expect(menu).toContain('请选择您要办理的事项');
    const [list] = await chat.picks('通知公告', 1);
    expect(list).toContain(LATEST);
    // Newest first: for everyone, their zone's, the disclosure marked; another zone's never.
    const order = ['停水通知', '计划停电通知', '片区暖气试水', '【公开】物业基金11月收支', '垃圾分类投放新规'].map((title) => list!.indexOf(title));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(list).not.toContain('另一片区');
    expect(list).not.toContain('元旦联欢会');
    // The next page: the ninth.
    const [more] = await chat.picks('更多通知', 1);
    expect(more).toContain('最新通知（第9–9条，共9条）');
    expect(more).toContain('元旦联欢会');

    // The water cut in full: its photo, its words, its number, and its "收到" answer.
    await chat.says('通知', 1);
    const opened = await chat.picks('停水通知', photoMessages(channel) + 1);
    const notice = opened.slice(0, -1).join('\n');
    if (channel !== 'WeChat') expect(notice).toContain('[photo]');
    expect(notice).toContain('📢停水通知');
    expect(notice).toContain('12月10日8:00至18:00全体住户停水');
    expect(notice).toMatch(/——TZ-2026-\d{5}，\d{4}年\d{1,2}月\d{1,2}日发布/);
    expect(notice).toContain(channel === 'WeChat' ? '1. ✅收到' : '[✅收到]');
    expect(opened.at(-1)).toContain('请用上面通知下方的按钮回复');
    if (channel === 'WeChat') {
      // "1" answers the notice: its signed 收到 button is kept as the account's numbered action.
      const kept = await t.app.database.prisma.numberedActions.findUniqueOrThrow({ where: { chatAccountId: wechatAccountId } });
      const waterCut = await t.app.database.prisma.notice.findFirstOrThrow({ where: { title: '停水通知' } });
      expect(kept.actions).toEqual([{ label: '✅收到', data: expect.stringMatching(new RegExp(`^n\\|${waterCut.id}\\|confirmed\\|`)) }]);
    }
    // Answering it from the archive is answering the notice: one 收到 for the household.
    const [answered] = channel === 'WeChat' ? await chat.says('1', 1) : await chat.picks('✅收到', 1);
    expect(answered).toMatch(/已确认您家收到通知TZ-2026-\d{5}|您家已经回复过通知TZ-2026-\d{5}/);
    expect(await t.app.database.prisma.noticeAnswer.findMany({ where: { householdId: people.householdId }, select: { answer: true } })).toEqual([{ answer: 'confirmed' }]);

    // Their own words: the water cut, not the power cut.
    const [again] = await chat.says('通知', 1);
    expect(again).toContain(LATEST);
    const [ask] = await chat.picks('搜索', 1);
    expect(ask).toContain('请说说您想找什么通知');
    const [found] = await chat.says('什么时候停水？', 1);
    expect(found).toContain('与“什么时候停水？”有关的通知（第1–1条，共1条）');
    expect(found).toContain('停水通知');
    expect(found).not.toContain('计划停电通知');

    // "停电" the power cut; opened, it offers the way back.
    await chat.says('通知', 1);
    await chat.picks('搜索', 1);
    const [power] = await chat.says('停电', 1);
    expect(power).toContain('计划停电通知');
    expect(power).not.toContain('停水通知');
    const [full, next] = await chat.picks('计划停电通知', 2);
    expect(full).toContain('📢计划停电通知');
    expect(next).toContain('以上是通知全文');
    const [back] = await chat.picks('返回通知列表', 1);
    expect(back).toContain('与“停电”有关的通知');
    await chat.picks('回到主菜单', 1);
  });

  it('a visitor sees only the notices for everyone, is told when nothing matches, and searches straight from the command', async () => {
    await visitor.says('你好', 1);
    const [list] = await visitor.picks('通知公告', 1);
    expect(list).toContain('最新通知（第1–8条，共8条）');
    expect(list).not.toContain('片区暖气试水');
    expect(list).not.toContain('另一片区');
    await visitor.picks('搜索', 1);
    const [none] = await visitor.says('暖气试水', 1);
    expect(none).toContain('没有找到与“暖气试水”有关的通知');
    // Words after the command search at once.
    const [power] = await visitor.says('/notices 停电', 1);
    expect(power).toContain('与“停电”有关的通知（第1–1条，共1条）');
    expect(power).toContain('计划停电通知');
  });

  it('reads and searches in English: the English version where the author wrote one', async () => {
    const [list] = await englishReader.says('/notices', 1);
    expect(list).toContain('Latest notices (1–8 of 9)');
    expect(list).toContain('Planned power cut');
    await englishReader.picks('Search', 1);
    const [found] = await englishReader.says('When is the power cut?', 1);
    expect(found).toContain('Notices about "When is the power cut?" (1–1 of 1)');
    const [full, next] = await englishReader.picks('Planned power cut', 2);
    expect(full).toContain('📢 Planned power cut');
    expect(full).toContain('Power is off on 12 December');
    expect(next).toContain('That is the whole notice');
  });
});
