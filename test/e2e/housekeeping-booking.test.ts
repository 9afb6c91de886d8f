/**
 * Housekeeping visits booked, moved and cancelled through the whole app, with a fake clock (the
 * community's 2026-12-09 10:00): an admin sets the service and its places with `linli
 * housekeeping`; a resident books over the web chat (only dates and times with places left are
 * offered), moves the visit, finds it cannot be changed after the cut-off, and cancels it; the
 * reminder jobs follow each change (the day-before one, made due, reaches the chat); a time a neighbour took meanwhile is said so at confirming,
 * and the times still free are offered. Over Telegram (the fake Bot API, a forum staff group) and
 * WeChat (the mock puppet, numbered replies, a staff room) the same booking, move and
 * cancellation, and staff see the booking's card and its lines in their chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/channels/types.js';
import { runLinli } from '../../src/cli/linli-run.js';
import { QueueNames } from '../../src/queue/names.js';
import { watch, type ContactMock, type SeenMessage } from '../channels/wechat/wechat-harness.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { startForumInbox, TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { STAFF_ROOM, wechatStaffRoom } from '../inbox/wechat-staff-room.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';

/** 2026-12-09 10:00 in Asia/Shanghai. */
const NOW = new Date('2026-12-09T02:00:00Z');
const FAST = { ...TEST_PACING, FLOOD_MAX_MESSAGES: '1000' };
const NUMBER = /编号(JZ-2026-\d{5})/;

class Clock {
  at = NOW;
  readonly now = (): Date => this.at;
}

/** The admin's set-up at the shell: the cleaning service, one place at 09:00 and 14:00 on the 11th and 12th. */
async function setUpService(t: TestApp, clock: Clock): Promise<string[]> {
  const printed: string[] = [];
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await runLinli(['housekeeping', ...args], {
      env: { LINLI_LOCALE: 'zh-CN' },
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      database: t.db,
      clock: clock.now,
    });
    expect({ code, err }).toEqual({ code: 0, err: '' });
    printed.push(out.trim());
  };
  await run(['service', 'cleaning', '--cutoff-hours', '12']);
  await run(['places', 'cleaning', '--from', '2026-12-11', '--to', '2026-12-12', '--times', '09:00-11:00,14:00-16:00', '--places', '1']);
  return printed;
}

/** The reminder jobs waiting for the booking with this ticket number. */
async function reminderJobs(t: TestApp, number: string): Promise<string[]> {
  const booking = await t.app.database.prisma.housekeepingBooking.findFirstOrThrow({ where: { ticket: { number } } });
  const jobs = await t.app.queues.queue(QueueNames.housekeepingReminders).getJobs(['delayed', 'waiting']);
  return jobs
    .map((job) => job.id ?? '')
    .filter((id) => id.includes(booking.id))
    .map((id) => id.replace(booking.id, '<booking>'))
    .sort();
}

const slotBooked = async (t: TestApp, date: string, startTime: string) =>
  (await t.app.database.prisma.housekeepingSlot.findFirstOrThrow({ where: { date, startTime } })).booked;

describe.each(databaseTargets())('housekeeping booking on %s', (target) => {
  describe('over the web chat, with the service set up at the command line', () => {
    let t: TestApp;
    let people: InboxPeople;
    let resident: WebPerson;
    const clock = new Clock();
    let number = '';
    const turn = async (send: () => Promise<unknown>, replies = 1): Promise<OutboundMessage[]> => {
      const before = (await resident.received()).length;
      await send();
      return (await resident.waitForMessages(before + replies)).slice(before);
    };
    const say = (text: string, replies = 1) => turn(() => resident.say(text), replies);
    const press = (message: OutboundMessage | undefined, label: string, replies = 1) => turn(() => resident.press(button(message, label)), replies);
    const labels = (message: OutboundMessage | undefined) => message?.choices?.map((c) => c.label) ?? [];

    beforeAll(async () => {
      t = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { clock: clock.now });
      people = await seedInboxPeople(t.app.database.prisma, t.app.communityId);
      resident = new WebPerson(t.app);
      await bindAccount(t.app.database.prisma, t.app.communityId, 'web', resident.sessionId, people.residentId);
    }, 90_000);
    afterAll(() => t?.close());

    it('the admin sets the service and its places with linli housekeeping', async () => {
      const printed = await setUpService(t, clock);
      expect(printed).toEqual(['已新增服务cleaning。', '名额已设置：新增时段4个，修改0个。']);
    });

    it('books a visit from the main menu (by its word): only times with places left, a JZ number, reminders queued for the day before and the hour before', async () => {
      const [menu] = await say('你好');
      expect(menu!.text).toContain('预约家政服务请发送“家政”');
      const [service] = await say('家政');
      expect(service!.text).toContain('请选择要预约的服务');
      expect(labels(service)).toEqual(['日常保洁']);
      const [dates] = await press(service, '日常保洁');
      expect(dates!.text).toContain('日常保洁：请选择日期');
      expect(labels(dates)).toEqual(['12月11日周五（余2）', '12月12日周六（余2）']);
      const [times] = await press(dates, '12月11日');
      expect(times!.text).toContain('12月11日周五：请选择时段');
      expect(labels(times)).toEqual(['09:00–11:00（余1）', '14:00–16:00（余1）']);
      const [notes] = await press(times, '09:00');
      const [write] = await press(notes, '写几句备注');
      expect(write!.text).toContain('请输入备注');
      const [review] = await say('家里有老人，请先敲门');
      expect(review!.text).toContain('服务：日常保洁');
      expect(review!.text).toContain('上门时间：12月11日周五 09:00–11:00');
      expect(review!.text).toContain('备注：家里有老人，请先敲门');
      expect(review!.text).toContain('12月10日21:00前可以改约或取消');
      const [booked, backToMenu] = await press(review, '确认', 2);
      number = NUMBER.exec(booked!.text)?.[1] ?? '';
      expect(number, booked!.text).toBe('JZ-2026-00001');
      expect(booked!.text).toContain('上门时间：12月11日周五 09:00–11:00');
      expect(backToMenu!.text).toContain('请选择您要办理的事项');

      const ticket = await t.app.database.prisma.ticket.findFirstOrThrow({ where: { number } });
      expect(ticket).toMatchObject({ kind: 'housekeeping', status: 'new', reporterId: people.residentId });
      expect(ticket.description).toContain('备注：家里有老人，请先敲门');
      expect(await slotBooked(t, '2026-12-11', '09:00')).toBe(1);
      expect(await reminderJobs(t, number)).toEqual(['reminder-<booking>-v0-day_before', 'reminder-<booking>-v0-hour_before']);

      // The booked time is no longer offered to anyone.
      const [again] = await say('家政');
      const [service2] = await press(again, '预约新的服务');
      const [dates2] = await press(service2, '日常保洁');
      expect(labels(dates2)).toEqual(['12月11日周五（余1）', '12月12日周六（余2）']);
      const [times2] = await press(dates2, '12月11日');
      expect(labels(times2)).toEqual(['14:00–16:00（余1）']);
      await say('菜单');
    });

    it('the office lists the booking at the command line', async () => {
      let out = '';
      const code = await runLinli(['housekeeping', 'bookings'], {
        env: { LINLI_LOCALE: 'zh-CN' },
        stdout: { write: (text: string) => (out += text) },
        stderr: { write: () => true },
        database: t.db,
        clock: clock.now,
      });
      expect(code).toBe(0);
      expect(out).toContain(`2026-12-11 09:00–11:00  ${number}  日常保洁  ${'团结巷'}`);
      expect(out).toContain('共1项预约。');
    });

    it('moves the visit to another day: the places and the reminders follow', async () => {
      const [what] = await say('家政');
      expect(what!.text).toContain('您有已预约的家政服务');
      const [mine] = await press(what, '我的预约');
      expect(labels(mine)).toEqual([`${number} 日常保洁 12月11日周五 09:00–11:00`]);
      const [change] = await press(mine, number);
      expect(change!.text).toContain('12月10日21:00前可以改约或取消');
      const [dates] = await press(change, '改约时间');
      const [times] = await press(dates, '12月12日');
      const [moved, backToMenu] = await press(times, '14:00', 2);
      expect(moved!.text).toContain(`已改约，编号${number}，新的上门时间：12月12日周六 14:00–16:00`);
      expect(backToMenu!.text).toContain('请选择您要办理的事项');
      expect(await slotBooked(t, '2026-12-11', '09:00')).toBe(0);
      expect(await slotBooked(t, '2026-12-12', '14:00')).toBe(1);
      expect(await reminderJobs(t, number)).toEqual(['reminder-<booking>-v1-day_before', 'reminder-<booking>-v1-hour_before']);
    });

    it('the day before, the app’s worker sends the reminder in the resident’s chat', async () => {
      // The 12th's 14:00 visit: its day-before moment is 14:00 on the 11th (06:00 UTC).
      clock.at = new Date('2026-12-11T06:00:00Z');
      const booking = await t.app.database.prisma.housekeepingBooking.findFirstOrThrow({ where: { ticket: { number } } });
      const job = await t.app.queues.queue(QueueNames.housekeepingReminders).getJob(`reminder-${booking.id}-v1-day_before`);
      const [reminder] = await turn(() => job!.promote());
      expect(reminder!.text).toBe(`温馨提醒：您预约的日常保洁（${number}）将在12月12日周六 14:00–16:00上门，请届时家里留人。需要改约或取消，请发送“家政”。`);
      expect((await t.app.database.prisma.housekeepingBooking.findUniqueOrThrow({ where: { id: booking.id } })).remindersSent).toEqual(['day_before']);
      clock.at = NOW;
    });

    it('after the cut-off the visit cannot be changed here', async () => {
      // The 12th's 14:00 visit closes for changes at 02:00 that day (18:00 UTC on the 11th).
      clock.at = new Date('2026-12-11T18:00:00Z');
      const [what] = await say('家政');
      const [mine] = await press(what, '我的预约');
      const [late, backToMenu] = await press(mine, number, 2);
      expect(late!.text).toContain('已经过了改约和取消的截止时间');
      expect(backToMenu!.text).toContain('请选择您要办理的事项');
      clock.at = NOW;
    });

    it('cancels it: the place is free again, the ticket withdrawn, no reminder left', async () => {
      const [what] = await say('家政');
      const [mine] = await press(what, '我的预约');
      const [change] = await press(mine, number);
      const [sure] = await press(change, '取消预约');
      expect(sure!.text).toContain(`确定要取消预约${number}吗`);
      const [cancelled, backToMenu] = await press(sure, '确定取消', 2);
      expect(cancelled!.text).toContain(`预约${number}已取消`);
      expect(backToMenu!.text).toContain('请选择您要办理的事项');
      expect(await slotBooked(t, '2026-12-12', '14:00')).toBe(0);
      expect((await t.app.database.prisma.ticket.findFirstOrThrow({ where: { number } })).status).toBe('withdrawn');
      expect(await reminderJobs(t, number)).toEqual([]);
      const [none] = await say('家政');
      expect(none!.text).toContain('请选择要预约的服务');
    });

    it('a time taken by a neighbour while the resident was confirming is said so, and the times still free are offered', async () => {
      const neighbour = new WebPerson(t.app);
      await bindAccount(t.app.database.prisma, t.app.communityId, 'web', neighbour.sessionId, people.neighbourId);
      const [service] = await say('家政');
      const [dates] = await press(service, '日常保洁');
      const [times] = await press(dates, '12月11日');
      const [notes] = await press(times, '09:00');
      const [review] = await press(notes, '不用了');
      expect(review!.text).toContain('上门时间：12月11日周五 09:00–11:00');

      // The neighbour books the same last place first.
      const [theirService] = await neighbour.ask('家政');
      const [theirDates] = await neighbour.pressAndWait(button(theirService, '日常保洁'));
      const [theirTimes] = await neighbour.pressAndWait(button(theirDates, '12月11日'));
      const [theirNotes] = await neighbour.pressAndWait(button(theirTimes, '09:00'));
      const [theirReview] = await neighbour.pressAndWait(button(theirNotes, '不用了'));
      const [theirs] = await neighbour.pressAndWait(button(theirReview, '确认'), 2);
      expect(theirs!.text).toContain('已预约');

      const [gone, datesAgain] = await press(review, '确认', 2);
      expect(gone!.text).toContain('这个时段的名额刚刚被约满了');
      expect(labels(datesAgain)).toEqual(['12月11日周五（余1）', '12月12日周六（余2）']);
      expect(await slotBooked(t, '2026-12-11', '09:00')).toBe(1);
      expect(await t.app.database.prisma.housekeepingBooking.count({ where: { status: 'booked' } })).toBe(1);
      await say('菜单');
    });
  });

  describe('over Telegram, with a forum staff group', () => {
    let telegram: FakeTelegramBotApi;
    let forum: FakeChat;
    let t: TestApp;
    let resident: FakeUser;
    const clock = new Clock();
    let read = 0;
    let keyboard: SentMessage | undefined;
    let number = '';
    const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';

    const next = async (count = 1): Promise<SentMessage[]> => {
      const messages = await waitFor(() => {
        const sent = telegram.sentTo(resident);
        return sent.length >= read + count ? sent.slice(read, read + count) : undefined;
      }, `${count} message(s) to the resident`);
      read += count;
      keyboard = [...messages].reverse().find((m) => m.keyboard) ?? keyboard;
      return messages;
    };
    const says = (text: string, replies = 1) => {
      telegram.userSays(resident, resident, text);
      return next(replies);
    };
    const presses = (label: string, replies = 1) => {
      const found = keyboard?.keyboard?.flat().find((b) => b.text.includes(label));
      if (!found?.callback_data) throw new Error(`no button "${label}" in: ${keyboard?.keyboard?.flat().map((b) => b.text).join(', ')}`);
      telegram.userPresses(resident, resident, keyboard!.messageId, found.callback_data);
      return next(replies);
    };
    const inForum = (match: (text: string) => boolean, what: string) => waitFor(() => telegram.sentTo(forum).find((m) => match(textOf(m))), what);

    beforeAll(async () => {
      let people: InboxPeople;
      ({ telegram, forum, t, people } = await startForumInbox(target, { FLOOD_MAX_MESSAGES: FAST.FLOOD_MAX_MESSAGES }, { clock: clock.now }));
      resident = telegram.createUser({ language_code: 'zh-hans' });
      await bindAccount(t.app.database.prisma, t.app.communityId, 'telegram', String(resident.id), people.residentId);
      await setUpService(t, clock);
    }, 90_000);
    afterAll(async () => {
      await t?.close();
      await telegram?.close();
    });

    it('books by pressing buttons; the staff forum gets the booking’s card', async () => {
      await says('你好');
      await says('家政');
      await presses('日常保洁');
      await presses('12月12日');
      await presses('14:00');
      await presses('不用了');
      const [booked] = await presses('确认', 2);
      number = NUMBER.exec(textOf(booked!))?.[1] ?? '';
      expect(number, textOf(booked!)).not.toBe('');
      const card = await inForum((text) => text.includes(number) && text.includes('家政预约'), 'the booking’s card in the forum');
      expect(textOf(card)).toContain('12月12日周六 14:00–16:00');
      expect(await slotBooked(t, '2026-12-12', '14:00')).toBe(1);
    });

    it('moves it: the staff read the move on the booking’s thread', async () => {
      await says('家政');
      await presses('我的预约');
      await presses(number);
      await presses('改约时间');
      await presses('12月11日');
      const [moved] = await presses('09:00', 2);
      expect(textOf(moved!)).toContain('新的上门时间：12月11日周五 09:00–11:00');
      await inForum((text) => text.includes('改约：从12月12日周六 14:00–16:00改到12月11日周五 09:00–11:00'), 'the move in the forum');
      expect(await slotBooked(t, '2026-12-11', '09:00')).toBe(1);
      expect(await slotBooked(t, '2026-12-12', '14:00')).toBe(0);
    });

    it('cancels it: the place is free and the ticket withdrawn', async () => {
      await says('家政');
      await presses('我的预约');
      await presses(number);
      await presses('取消预约');
      const [cancelled] = await presses('确定取消', 2);
      expect(textOf(cancelled!)).toContain(`预约${number}已取消`);
      expect(await slotBooked(t, '2026-12-11', '09:00')).toBe(0);
      expect((await t.app.database.prisma.ticket.findFirstOrThrow({ where: { number } })).status).toBe('withdrawn');
      expect(await reminderJobs(t, number)).toEqual([]);
    });
  });

  describe('over WeChat, by numbered replies, with a staff room', () => {
    let t: TestApp;
    let bot: ContactMock;
    let contact: ContactMock;
    let seen: SeenMessage[];
    let roomSeen: SeenMessage[];
    const clock = new Clock();
    let read = 0;
    let menu = '';
    let number = '';
    const fromBot = () => seen.filter((m) => m.payload.talkerId === bot.id).map((m) => m.payload.text ?? '');
    const next = async (count = 1): Promise<string[]> => {
      const texts = await waitFor(() => {
        const all = fromBot();
        return all.length >= read + count ? all.slice(read, read + count) : undefined;
      }, `${count} WeChat message(s)`);
      read += count;
      menu = [...texts].reverse().find((text) => /^\d+\. /m.test(text)) ?? menu;
      return texts;
    };
    const says = (text: string, replies = 1) => {
      contact.say(text).to(bot);
      return next(replies);
    };
    /** Types the number of the latest numbered line containing `label`. */
    const picks = (label: string, replies = 1) => {
      const line = menu.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
      if (!line) throw new Error(`no numbered choice "${label}" in: ${menu}`);
      return says(line.split('.')[0]!, replies);
    };
    const inRoom = (match: (text: string) => boolean, what: string) =>
      waitFor(() => roomSeen.filter((m) => m.payload.talkerId === bot.id).map((m) => m.payload.text ?? '').find(match), what);

    beforeAll(async () => {
      const staffRoom = wechatStaffRoom(['李主任']);
      bot = staffRoom.bot;
      roomSeen = staffRoom.seen;
      t = await startTestApp(target, { ...FAST, WECHAT_STAFF_ROOM: STAFF_ROOM }, undefined, { serve: true, wechatPuppet: staffRoom.puppet, clock: clock.now });
      const people = await seedInboxPeople(t.app.database.prisma, t.app.communityId);
      contact = staffRoom.mocker.createContact({ name: '王秀英', avatar: '' });
      seen = watch(contact);
      await bindAccount(t.app.database.prisma, t.app.communityId, 'wechat', contact.id, people.residentId);
      staffRoom.mocker.login(bot);
      await waitFor(async () => ((await t.app.database.prisma.boundChat.findFirst({ where: { purpose: 'staff', channel: 'wechat' } })) ? true : undefined), 'the staff room');
      await setUpService(t, clock);
    }, 90_000);
    afterAll(() => t?.close());

    it('books by typing the numbers of the choices; the staff room gets the card', async () => {
      const [first] = await says('你好');
      expect(first).toContain('预约家政服务请发送“家政”');
      const [services] = await says('家政');
      expect(services).toContain('1. 日常保洁');
      const [dates] = await picks('日常保洁');
      expect(dates).toContain('12月11日周五（余2）');
      await picks('12月11日');
      await picks('14:00');
      await picks('不用了');
      const [booked] = await says('确认', 2);
      number = NUMBER.exec(booked!)?.[1] ?? '';
      expect(number, booked).not.toBe('');
      await inRoom((text) => text.includes(number) && text.includes('家政预约'), 'the booking’s card in the staff room');
      expect(await slotBooked(t, '2026-12-11', '14:00')).toBe(1);
    });

    it('moves and then cancels it the same way', async () => {
      await says('家政');
      await picks('我的预约');
      await picks(number);
      await picks('改约时间');
      await picks('12月12日');
      const [moved] = await picks('09:00', 2);
      expect(moved).toContain('新的上门时间：12月12日周六 09:00–11:00');
      expect(await slotBooked(t, '2026-12-11', '14:00')).toBe(0);
      expect(await slotBooked(t, '2026-12-12', '09:00')).toBe(1);

      await says('家政');
      await picks('我的预约');
      await picks(number);
      await picks('取消预约');
      const [cancelled] = await picks('确定取消', 2);
      expect(cancelled).toContain(`预约${number}已取消`);
      expect(await slotBooked(t, '2026-12-12', '09:00')).toBe(0);
      expect(await reminderJobs(t, number)).toEqual([]);
    });
  });
});
