/**
 * Meetings end to end with no stand-in: staff call a residents' meeting for a lane; over Telegram
 * (real telegraf against the fake Bot API: buttons), WeChat (real wechaty with the mock puppet:
 * numbered replies) and the web chat, each resident gets the invitation with its agenda and
 * answers it — attend by button, cannot with a reason by number, maybe by button — and the answer
 * is on their invitation; 🗓 会议 lists the meeting with the answer; the person's private calendar
 * feed serves RFC 5545 that ical.js reads (and a renewed address ends the old one); 24 hours
 * before (the app's fake clock, the real delayed job promoted) the app's worker reminds those
 * who will attend on their own channel and not the one who cannot; odd and unknown feed
 * addresses are plain 404s.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { RecordingPuppetMock, watch, type ContactMock } from '../channels/wechat/wechat-harness.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount } from '../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { textOf } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { finishCommitted, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import { meetingUid } from '../../src/features/meetings/calendar/meeting-ics.js';
import { callMeeting } from '../../src/features/meetings/schedule/call-meeting.js';
import { meetingsDepsOf } from '../../src/features/meetings/schedule/meetings-deps.js';
import { jobIds } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';
import { deriveKey } from '../../src/security/derived-key.js';

type Channel = 'telegram' | 'wechat' | 'web';
const CHANNELS: Channel[] = ['telegram', 'wechat', 'web'];
const SECRET = 'test-secret-test-secret-test-secret-42';

interface Chat {
  say(text: string): Promise<void>;
  choose(label: string): Promise<void>;
  texts(): Promise<string[]>;
  /** The files the bot sent in this chat: their names and contents. */
  files(): Promise<{ name: string; content: Buffer }[]>;
}

async function textIn(chat: Chat, part: string, since = 0): Promise<string> {
  try {
    return await waitFor(async () => (await chat.texts()).slice(since).find((text) => text.includes(part)), `"${part}" in a chat`);
  } catch (error) {
    throw new Error(`${(error as Error).message}; it last got: ${JSON.stringify((await chat.texts()).slice(-3))}`);
  }
}

async function step(chat: Chat, act: (chat: Chat) => Promise<void>, part: string): Promise<string> {
  const since = (await chat.texts()).length;
  await act(chat);
  return textIn(chat, part, since);
}

describe.each(databaseTargets())('meeting invitations answered in chat on %s', (target) => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let mocker: mock.Mocker;
  let puppet: RecordingPuppetMock;
  let wxBot: ContactMock;
  const chats = {} as Record<Channel, { chat: Chat; residentId: string }>;
  let number = '';
  let meetingId = '';
  const clock = { at: new Date() };
  const now = () => clock.at;
  const prisma = () => t.app.database.prisma;

  function telegramChat(user: ReturnType<FakeTelegramBotApi['createUser']>): Chat {
    const sent = () => telegram.sentTo(user.id);
    return {
      async say(text) {
        telegram.userSays(user, user, text);
      },
      async choose(label) {
        // A reply may come as several messages: the one with the button can follow the one waited for.
        const [message, data] = await waitFor(() => {
          for (const each of [...sent()].reverse()) {
            const found = each.keyboard?.flat().find((b) => b.text === label);
            if (found?.callback_data) return [each, found.callback_data] as const;
          }
          return undefined;
        }, `a button "${label}"`);
        telegram.userPresses(user, user, message.messageId, data);
      },
      texts: async () => sent().map(textOf),
      files: async () => sent().flatMap((m) => (m.document ? [{ name: m.document.name, content: m.document.content }] : [])),
    };
  }

  function wechatChat(contact: ContactMock): Chat {
    const seen = watch(contact);
    const fromBot = () => seen.filter((m) => m.payload.talkerId === wxBot.id).map((m) => m.payload.text ?? '');
    return {
      async say(text) {
        contact.say(text).to(wxBot);
      },
      async choose(label) {
        const line = await waitFor(() => {
          const listed = [...fromBot()].reverse().find((text) => /^\d+\. /m.test(text)) ?? '';
          return listed.split('\n').find((l) => /^\d+\. /.test(l) && l.endsWith(label));
        }, `a numbered line "${label}"`);
        contact.say(line.split('.')[0]!).to(wxBot);
      },
      texts: async () => fromBot(),
      files: async () => {
        const sentFiles = seen.filter((m) => m.payload.talkerId === wxBot.id && mocker.cacheFileBoxPayload.has(m.id));
        return Promise.all(sentFiles.map(async (m) => {
          const box = await puppet.messageFile(m.id);
          return { name: box.name, content: await box.toBuffer() };
        }));
      },
    };
  }

  function webChat(person: WebPerson): Chat {
    return {
      async say(text) {
        await person.say(text);
      },
      async choose(label) {
        const found = await waitFor(async () => {
          for (const message of [...(await person.received())].reverse()) {
            const button = message.choices?.find((c) => c.label === label) ?? message.choices?.find((c) => c.label.startsWith(label));
            if (button) return button;
          }
          return undefined;
        }, `a button "${label}"`);
        await person.press(found.data);
      },
      texts: async () => (await person.received()).map((m) => m.text),
      files: async () =>
        Promise.all((await person.received()).flatMap((m) => (m.document ? [m.document] : [])).map(async (d) => ({ name: d.name, content: await readFile(join(t.app.config.DATA_DIR, d.ref)) }))),
    };
  }

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 50 });
    mocker = new mock.Mocker();
    t = await startTestApp(
      target,
      { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, FLOOD_MAX_MESSAGES: '1000', PUBLIC_URL: 'https://linli.example.org' },
      undefined,
      { serve: true, wechatPuppet: (puppet = new RecordingPuppetMock({ mocker })), clock: now },
    );
    wxBot = mocker.createContact({ name: '邻里助手', avatar: '' });
    mocker.login(wxBot);
    await waitFor(() => ((t.app.channels.get('wechat') as WeChatChannel).login.status().state === 'logged-in' ? true : undefined), 'the bot to log in');
    const communityId = t.app.communityId;
    const lane = await prisma().area.create({ data: { communityId, name: '团结巷', path: '团结巷', depth: 1 } });
    const names: Record<Channel, string> = { telegram: '张秀兰', wechat: '赵玉芬', web: '刘桂英' };
    for (const [index, channel] of CHANNELS.entries()) {
      const home = await prisma().household.create({ data: { communityId, code: `M-00${index + 1}`, address: `团结巷${index + 1}号`, areaId: lane.id } });
      const residentId = (await prisma().resident.create({ data: { communityId, householdId: home.id, name: names[channel] } })).id;
      let chat: Chat;
      let externalId: string;
      if (channel === 'telegram') {
        const user = telegram.createUser({ language_code: 'zh-hans' });
        chat = telegramChat(user);
        externalId = String(user.id);
      } else if (channel === 'wechat') {
        const contact = mocker.createContact({ name: names[channel], avatar: '' });
        chat = wechatChat(contact);
        externalId = contact.id;
      } else {
        const person = new WebPerson(t.app);
        chat = webChat(person);
        externalId = person.sessionId;
      }
      await bindAccount(prisma(), communityId, channel, externalId, residentId);
      chats[channel] = { chat, residentId };
    }
    // Staff call the lane's residents' meeting, as a chat turn or the console would: sent right after the commit.
    const deps = meetingsDepsOf(
      { prisma: prisma(), notifier: t.app.notifier, translator: t.app.translator, config: t.app.config, keyFor: (purpose) => deriveKey(SECRET, purpose), clock: now, dataDir: t.app.config.DATA_DIR },
      { meetingChanged: () => undefined },
    );
    const committed = await transactionWithAfterCommit(prisma(), (tx) =>
      callMeeting(tx, deps, {
        communityId,
        actor: { kind: 'operator' },
        type: 'residents',
        title: '团结巷居民会议',
        startsAt: new Date(clock.at.getTime() + 5 * 86_400_000),
        durationMinutes: 90,
        place: '社区活动室',
        audience: { areaIds: [lane.id] },
        agenda: ['巷口路灯维修', '春季绿化'],
      }),
    );
    await finishCommitted(committed, t.app.outbox);
    if (committed.value.status !== 'called') throw new Error(committed.value.status);
    ({ number, meetingId } = committed.value);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  const rsvpOf = async (channel: Channel) => prisma().meetingInvitation.findFirstOrThrow({ where: { meetingId, residentId: chats[channel].residentId } });

  it('each resident gets the invitation with its agenda and its .ics file (Telegram, WeChat and the web chat all carry files)', async () => {
    for (const channel of CHANNELS) {
      const invitation = await textIn(chats[channel].chat, number);
      expect(invitation).toContain('团结巷居民会议');
      expect(invitation).toContain('1. 巷口路灯维修\n2. 春季绿化');
      // The text points at the file sent with it rather than at the link.
      expect(invitation, channel).toContain(`见所附日历文件「${number}.ics」`);
      const file = await waitFor(async () => (await chats[channel].chat.files()).find((f) => f.name === `${number}.ics`), `the .ics file on ${channel}`);
      const event = new ICAL.Component(ICAL.parse(file.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
      expect(event.getFirstPropertyValue('uid')).toBe(meetingUid(meetingId));
      expect(String(event.getFirstPropertyValue('summary'))).toContain('团结巷居民会议');
    }
    // WeChat has no buttons: the answers are numbered lines.
    expect(await textIn(chats.wechat.chat, number)).toMatch(/1\. ✅ 参加\n2\. ❌ 不能参加\n3\. ❔ 待定/);
  });

  it('over Telegram: the ✅ 参加 button records attend', async () => {
    const reply = await step(chats.telegram.chat, (chat) => chat.choose('✅ 参加'), '已记录');
    expect(reply).toContain(`${number}的回复：参加`);
    expect((await rsvpOf('telegram')).rsvp).toBe('attend');
  });

  it('over WeChat: "2" is 不能参加, then the reason in a few words', async () => {
    await step(chats.wechat.chat, (chat) => chat.choose('❌ 不能参加'), '不能参加的原因');
    const reply = await step(chats.wechat.chat, (chat) => chat.say('那天要去医院复查'), '已记录');
    expect(reply).toContain('不能参加');
    const invitation = await rsvpOf('wechat');
    expect(invitation.rsvp).toBe('cannot');
    expect(invitation.reason).toBe('那天要去医院复查');
  });

  it('over the web chat: ❔ 待定, then 🗓 会议 lists the meeting with the answer, and the answer can be changed there', async () => {
    await step(chats.web.chat, (chat) => chat.choose('❔ 待定'), '已记录');
    expect((await rsvpOf('web')).rsvp).toBe('maybe');
    const list = await step(chats.web.chat, (chat) => chat.say('会议'), '您即将参加的会议');
    expect(list).toContain(number);
    expect(list).toContain('您的回复：待定');
    expect(list).toContain('提醒：会前24小时、2小时');
    await step(chats.web.chat, (chat) => chat.choose('回复 / 更改回复'), '回复哪个会议');
    await step(chats.web.chat, (chat) => chat.choose('团结巷居民会议'), '您是否参加');
    await step(chats.web.chat, (chat) => chat.choose('✅ 参加'), '已记录');
    expect((await rsvpOf('web')).rsvp).toBe('attend');
  });

  it('the calendar feed address serves RFC 5545 that ical.js reads; a new address ends the old one', async () => {
    const { chat } = chats.web;
    await step(chat, (c) => c.say('菜单'), '');
    await step(chat, (c) => c.say('会议'), '您想做什么');
    const shown = await step(chat, (c) => c.choose('日历订阅地址'), '私人日历订阅地址');
    const url = /https:\/\/linli\.example\.org(\/calendar\/[\w-]+\.ics)/.exec(shown)![1]!;
    const feed = await t.app.http.inject({ method: 'GET', url });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const events = new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).toEqual([meetingUid(meetingId)]);
    expect(events[0]!.description).toContain('您的回复：参加');
    const renewed = await step(chat, (c) => c.choose('换新地址'), '私人日历订阅地址');
    const next = /https:\/\/linli\.example\.org(\/calendar\/[\w-]+\.ics)/.exec(renewed)![1]!;
    expect(next).not.toBe(url);
    expect((await t.app.http.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await t.app.http.inject({ method: 'GET', url: next })).statusCode).toBe(200);
  });

  it("24 hours before, the app's worker reminds those who attend on their own channel, and not the one who cannot", async () => {
    const meeting = await prisma().meeting.findUniqueOrThrow({ where: { id: meetingId } });
    // The answers set the jobs (after their commits): one for the meeting's 24 hours, whoever answered.
    const job = await waitFor(() => t.app.queues.queue(QueueNames.meetingReminders).getJob(jobIds['meeting-reminders']({ meetingId, version: 0, offset: 1440 })), 'the reminder job');
    clock.at = new Date(meeting.startsAt.getTime() - 1440 * 60_000);
    await job.promote();
    for (const channel of ['telegram', 'web'] as const) expect(await textIn(chats[channel].chat, '⏰ 会议提醒')).toContain(number);
    expect((await rsvpOf('telegram')).remindersSent).toEqual(['0:1440']);
    expect((await rsvpOf('wechat')).remindersSent).toEqual([]);
    expect((await chats.wechat.chat.texts()).some((text) => text.startsWith('⏰'))).toBe(false);
  });

  it('odd, huge and unknown addresses are plain 4xx, never 500', async () => {
    const odd = ['/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics', '/calendar/x.ics', '/calendar/%00.ics', `/calendar/${'A'.repeat(5000)}.ics`, '/calendar/..%2F..%2Fetc%2Fpasswd', `/calendar/meeting/${meetingId}/forged.ics`, '/calendar/meeting/%E4%B8%AD/x.ics'];
    for (const url of odd) {
      const response = await t.app.http.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
    }
    const unknown = await t.app.http.inject({ method: 'GET', url: '/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/plain');
  });
});
