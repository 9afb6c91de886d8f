/**
 * Issue 14's "done when", end to end with no stand-in: on a fake clock (09:00 in Beijing), over
 * Telegram (real telegraf against the fake Bot API), WeChat (real wechaty with the mock puppet:
 * numbered replies) and the web chat, a resident reports a leak through the repair flow, and the
 * real service team answers on the same channel. The members are added by `linli staff add`, bind
 * their chat with the code it prints, and get their area and working hours from `linli team terms`
 * (each channel's members cover their own lane, so each journey stays among its own; on Telegram
 * one member works evenings and is never offered the morning's job). The first member offered
 * declines, the second lets the offer run out (the clock moved ten minutes, the real delayed job
 * run), the third accepts; the resident is told who took it; on the way, done with a service
 * record; "not fixed" with words goes back to the same member with those words; done again,
 * "fixed" and a rating; the work order, its offers and the dispatch history end as they should.
 * Over each channel also the emergency path: the danger check, the emergency numbers at once, every
 * member of the lane offered at once (on Telegram whatever their hours), the first to accept holds
 * it and the others are told it is taken.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { FakeUser } from '../fakes/telegram-bot-api/world.js';
import { RecordingPuppetMock, watch, type ContactMock } from '../channels/wechat/wechat-harness.js';
import { startRepairClock, stopRepairClock } from '../features/repairs/support/repair-clock.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount } from '../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { textOf } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';
import { runLinli } from '../../src/cli/linli-run.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { dispatchHistoryOfTicket } from '../../src/features/repairs/dispatch/service/dispatch-history.js';
import { jobIds } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';

type Channel = 'telegram' | 'wechat' | 'web';
const CHANNELS: Channel[] = ['telegram', 'wechat', 'web'];
const MINUTE = 60_000;
const NUMBER = /报修单号(BX-\d{4}-\d{5})/;

/** A private chat with the bot on any channel: what the person types or picks, and every text the bot sent, oldest first. */
interface Chat {
  say(text: string): Promise<void>;
  /** Picks the choice labelled so (a button; on WeChat the number of the latest numbered line, else the label typed). */
  choose(label: string): Promise<void>;
  texts(): Promise<string[]>;
}

interface Member {
  name: string;
  residentId: string;
  chat: Chat;
}

/** Each channel's lane, its resident and its members. */
interface Side {
  lane: string;
  residentId: string;
  resident: Chat;
  members: Member[];
}

/** Waits for a text containing `part` among those the chat received from index `since` on. */
async function textIn(chat: Chat, part: string, since = 0): Promise<string> {
  try {
    return await waitFor(async () => (await chat.texts()).slice(since).find((text) => text.includes(part)), `"${part}" in a chat`);
  } catch (error) {
    const latest = (await chat.texts()).slice(Math.max(since, 0)).slice(-3);
    throw new Error(`${(error as Error).message}; it last got: ${JSON.stringify(latest)}`);
  }
}

/** Does something in a chat and waits for the reply containing `part`. */
async function step(chat: Chat, act: (chat: Chat) => Promise<void>, part: string): Promise<string> {
  const since = (await chat.texts()).length;
  await act(chat);
  return textIn(chat, part, since);
}

const say = (text: string) => (chat: Chat) => chat.say(text);
const choose = (label: string) => (chat: Chat) => chat.choose(label);
const workerOf = (name: string) => `${name.slice(0, 1)}师傅`;

describe.each(databaseTargets())('a repair from request to rating with the real service team on %s', (target) => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let mocker: mock.Mocker;
  let wxBot: ContactMock;
  let slug = '';
  const sides = {} as Record<Channel, Side>;
  let evening: Member;
  const prisma = () => t.app.database.prisma;

  /** Runs `linli` against the app's own database and community, as the office would. */
  async function linli(args: string[]): Promise<string> {
    let stdout = '';
    let stderr = '';
    const code = await runLinli(args, {
      env: { LINLI_LOCALE: 'zh-CN', COMMUNITY_SLUG: slug },
      stdout: { write: (chunk: string) => ((stdout += chunk), true), isTTY: false },
      stderr: { write: (chunk: string) => ((stderr += chunk), true), isTTY: false },
      database: t.db,
    });
    expect(stderr, `linli ${args.join(' ')}`).toBe('');
    expect(code).toBe(0);
    return stdout;
  }

  function telegramChat(user: FakeUser): Chat {
    const sent = () => telegram.sentTo(user.id);
    return {
      async say(text) {
        telegram.userSays(user, user, text);
      },
      async choose(label) {
        for (const message of [...sent()].reverse()) {
          const buttons = message.keyboard?.flat() ?? [];
          const found = buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.includes(label));
          if (found?.callback_data) {
            telegram.userPresses(user, user, message.messageId, found.callback_data);
            return;
          }
        }
        throw new Error(`no button "${label}"`);
      },
      texts: async () => sent().map(textOf),
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
        // Numbers answer the latest numbered choices; a step with none (a photo to skip) takes the word.
        const listed = [...fromBot()].reverse().find((text) => /^\d+\. /m.test(text)) ?? '';
        const line = listed.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
        contact.say(line ? line.split('.')[0]! : label).to(wxBot);
      },
      texts: async () => fromBot(),
    };
  }

  function webChat(person: WebPerson): Chat {
    return {
      async say(text) {
        await person.say(text);
      },
      async choose(label) {
        for (const message of [...(await person.received())].reverse()) {
          const found = message.choices?.find((c) => c.label === label) ?? message.choices?.find((c) => c.label.includes(label));
          if (found) {
            await person.press(found.data);
            return;
          }
        }
        throw new Error(`no button "${label}"`);
      },
      texts: async () => (await person.received()).map((m) => m.text),
    };
  }

  /** A chat on `channel` for someone new, and the id the channel knows them by. */
  function newChat(channel: Channel, name: string): { chat: Chat; externalId: string } {
    if (channel === 'telegram') {
      const user = telegram.createUser({ language_code: 'zh-hans' });
      return { chat: telegramChat(user), externalId: String(user.id) };
    }
    if (channel === 'wechat') {
      const contact = mocker.createContact({ name, avatar: '' });
      return { chat: wechatChat(contact), externalId: contact.id };
    }
    const person = new WebPerson(t.app);
    return { chat: webChat(person), externalId: person.sessionId };
  }

  /** `linli staff add` a plumber, who sends the printed code in their chat; then `linli team terms`. */
  async function addMember(channel: Channel, name: string, lane: string, hours: string): Promise<Member> {
    const printed = await linli(['staff', 'add', '--name', name, '--role', 'service_team', '--skills', 'plumbing']);
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(printed)![1]!;
    const { chat, externalId } = newChat(channel, name);
    await step(chat, say(code), '欢迎您');
    const account = await prisma().chatAccount.findUniqueOrThrow({ where: { communityId_channel_externalId: { communityId: t.app.communityId, channel, externalId } } });
    expect(await linli(['team', 'terms', name, '--areas', lane, '--hours', hours])).toContain(`已更新${name}的负责片区和工作时间`);
    return { name, residentId: account.residentId!, chat };
  }

  beforeAll(async () => {
    startRepairClock();
    telegram = await FakeTelegramBotApi.start({ scale: 50 });
    mocker = new mock.Mocker();
    t = await startTestApp(
      target,
      { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, FLOOD_MAX_MESSAGES: '1000' },
      undefined,
      { serve: true, wechatPuppet: new RecordingPuppetMock({ mocker }) },
    );
    wxBot = mocker.createContact({ name: '邻里助手', avatar: '' });
    mocker.login(wxBot);
    await waitFor(() => ((t.app.channels.get('wechat') as WeChatChannel).login.status().state === 'logged-in' ? true : undefined), 'the bot to log in');
    const communityId = t.app.communityId;
    slug = (await prisma().community.findUniqueOrThrow({ where: { id: communityId } })).slug;

    const zone = await prisma().area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
    const names: Record<Channel, { lane: string; resident: string; members: string[] }> = {
      telegram: { lane: '团结巷', resident: '张秀兰', members: ['钱建国', '孙志强', '李卫东'] },
      wechat: { lane: '胜利巷', resident: '赵玉芬', members: ['周海涛', '吴国庆', '郑永刚'] },
      web: { lane: '和平巷', resident: '刘桂英', members: ['王德明', '冯立新', '陈长顺'] },
    };
    for (const channel of CHANNELS) {
      const { lane, resident: residentName, members: memberNames } = names[channel];
      const area = await prisma().area.create({ data: { communityId, name: lane, path: `平房区/${lane}`, depth: 2, parentId: zone.id } });
      const home = await prisma().household.create({ data: { communityId, code: `A-010${CHANNELS.indexOf(channel) + 1}`, address: `${lane}3号院1号`, areaId: area.id } });
      const residentId = (await prisma().resident.create({ data: { communityId, householdId: home.id, name: residentName } })).id;
      const { chat, externalId } = newChat(channel, residentName);
      await bindAccount(prisma(), communityId, channel, externalId, residentId);
      const members: Member[] = [];
      for (const name of memberNames) members.push(await addMember(channel, name, lane, '1-7 08:00-18:00'));
      sides[channel] = { lane, residentId, resident: chat, members };
    }
    // Works the lane on Telegram, but only in the evening: never offered the morning's ordinary job.
    evening = await addMember('telegram', '褚红军', '团结巷', '1-7 18:00-22:00');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
    stopRepairClock();
  });

  /** The member of the side whose chat shows the open offer of `number`, once dispatch made it. */
  async function offeredTo(side: Side, number: string, after: string[]): Promise<Member> {
    const offer = await waitFor(
      () => prisma().dispatchOffer.findFirst({ where: { workOrder: { ticket: { number } }, status: 'open', memberId: { notIn: after } } }),
      `an open offer of ${number}`,
    );
    const member = side.members.find((m) => m.residentId === offer.memberId);
    expect(member, 'offered to a member of the lane').toBeDefined();
    await waitFor(async () => ((await member!.chat.texts()).some((text) => text.includes('新的维修任务') && text.includes(number)) ? true : undefined), `the offer of ${number} in chat`);
    return member!;
  }

  /** The member's service record from their day: the job, ✅完成, the words, materials, cost, fee, no photo, confirm. */
  async function recordDone(member: Member, number: string, record: { work: string; materials: string; cost: string }): Promise<void> {
    await step(member.chat, choose(number), '请选择：');
    await step(member.chat, choose('完成'), '请说一下做了什么');
    await step(member.chat, say(record.work), '用了哪些材料');
    await step(member.chat, say(record.materials), '材料花了多少钱');
    await step(member.chat, say(record.cost), '住户需要付多少钱');
    await step(member.chat, say('0'), '请发一张修好后的照片');
    const review = await step(member.chat, choose('跳过'), '请确认服务记录');
    expect(review).toContain(`维修内容：${record.work}`);
    await step(member.chat, choose('确认'), '已记录完成');
  }

  it.each(CHANNELS)('over %s: request, decline, timeout, accept, on the way, done, "not fixed", done again, fixed and rated', async (channel) => {
    const side = sides[channel];
    const { resident } = side;
    await step(resident, say('报修'), '先确认安全');
    await step(resident, choose('都没有'), '哪里坏了');
    await step(resident, choose('漏水'), '请说说具体情况');
    await step(resident, say('厨房水管接头一直在滴水'), '在哪里');
    await step(resident, choose('就在家里'), '有照片吗');
    await step(resident, choose('跳过'), '什么时候家里有人');
    await step(resident, choose('随时都有人'), '请核对');
    const filed = await step(resident, choose('确认'), '报修单号');
    expect(filed).toContain('正在为您安排师傅');
    const number = NUMBER.exec(filed)![1]!;

    const first = await offeredTo(side, number, []);
    await step(first.chat, choose('不接'), `${number}已转给其他队员`);

    const second = await offeredTo(side, number, [first.residentId]);
    // Nobody answers: ten minutes pass on the clock, and the offer's own delayed job runs at once.
    const open = await prisma().dispatchOffer.findFirstOrThrow({ where: { workOrder: { ticket: { number } }, status: 'open' } });
    expect(open.expiresAt.getTime() - open.offeredAt.getTime()).toBe(10 * MINUTE);
    vi.setSystemTime(new Date(Date.now() + 10 * MINUTE));
    const timeout = await waitFor(() => t.app.queues.queue(QueueNames.dispatchOffers).getJob(jobIds['dispatch-offers']({ offerId: open.id })), 'the offer’s delayed job');
    await timeout.promote().catch(() => undefined); // already due on the moved clock: it may be running
    await textIn(second.chat, `${number}的派单已超时`);

    const third = await offeredTo(side, number, [first.residentId, second.residentId]);
    // Taking it is thanked, then the member's day follows with the job to pick.
    const beforeAccept = (await third.chat.texts()).length;
    await step(third.chat, choose('接单'), '请选择一项任务');
    await textIn(third.chat, `您已接下${number}`, beforeAccept);
    const taken = await textIn(resident, `【${number}】${workerOf(third.name)}已接单`);
    expect(taken).toContain('预计');

    await step(third.chat, choose(number), '请选择：');
    // Each move is answered, then the day again (whose buttons the next move presses).
    const beforeGoing = (await third.chat.texts()).length;
    await step(third.chat, choose('出发'), '请选择一项任务');
    await textIn(third.chat, '已告诉居民您正在路上', beforeGoing);
    await textIn(resident, `【${number}】${workerOf(third.name)}已出发`);

    let since = (await resident.texts()).length;
    await recordDone(third, number, { work: '更换了厨房水管接头', materials: '水管接头一个', cost: '12.5' });
    const done = await textIn(resident, `【${number}】${workerOf(third.name)}已完工`, since);
    expect(done).toContain('做了什么：更换了厨房水管接头');
    expect(done).toContain('用料：水管接头一个');

    await step(resident, choose('没修好'), `报修单${number}哪里还有问题`);
    const words = '接头还在渗水，柜子底下是湿的';
    const sentBack = await step(third.chat, async () => resident.say(words), `居民说${number}还没有修好`);
    expect(sentBack).toContain(`居民的话：\n“${words}”`);
    await textIn(resident, `已转告${workerOf(third.name)}`);
    expect(await prisma().workOrder.findFirstOrThrow({ where: { ticket: { number } } })).toMatchObject({ status: 'accepted', memberId: third.residentId, returns: 1 });

    since = (await resident.texts()).length;
    await step(third.chat, say('我的任务'), '请选择一项任务');
    await recordDone(third, number, { work: '重新缠了生料带并拧紧接头', materials: '生料带', cost: '2' });
    const again = await textIn(resident, `【${number}】${workerOf(third.name)}已完工`, since);
    expect(again).toContain('做了什么：重新缠了生料带并拧紧接头');

    await step(resident, choose('修好了'), '您对这次维修满意吗');
    await step(resident, choose('非常满意'), '还想说点什么吗');
    await step(resident, choose('写一句评价'), '请输入您的评价');
    await step(resident, say('师傅很负责，两次都来得很快'), `报修单${number}的评价已记录`);

    // The resident heard each of the worker's steps once, and nothing of the team's declines and timeouts.
    const notices = (await resident.texts()).filter((text) => text.startsWith(`【${number}】`));
    expect(notices.map((text) => /已接单|已出发|已完工|超时|不接/.exec(text)?.[0])).toEqual(['已接单', '已出发', '已完工', '已完工']);

    const order = await prisma().workOrder.findFirstOrThrow({
      where: { ticket: { number } },
      include: { ticket: true, offers: { orderBy: [{ offeredAt: 'asc' }, { id: 'asc' }] } },
    });
    expect(order).toMatchObject({ status: 'confirmed', memberId: third.residentId, returns: 1, workDone: '重新缠了生料带并拧紧接头', feeCents: 0, emergency: false });
    expect(order.materials).toEqual([{ name: '生料带', quantity: 1, costCents: 200 }]);
    expect(order.offers.map((o) => [o.memberId, o.status])).toEqual([
      [first.residentId, 'declined'],
      [second.residentId, 'expired'],
      [third.residentId, 'accepted'],
    ]);
    expect(order.ticket).toMatchObject({ status: 'resolved', rating: 5, solved: true, resolvedById: third.residentId });
    expect(await prisma().ticketEvent.count({ where: { ticketId: order.ticketId, kind: 'resident_message', text: words } })).toBe(1);
    const history = await prisma().$transaction((tx) => dispatchHistoryOfTicket(tx, order.ticketId));
    expect(history).toMatchObject({
      status: 'confirmed',
      emergency: false,
      holder: third.name,
      offers: [
        { memberName: first.name, status: 'declined' },
        { memberName: second.name, status: 'expired' },
        { memberName: third.name, status: 'accepted' },
      ],
    });
    if (channel === 'telegram') expect(await prisma().dispatchOffer.count({ where: { memberId: evening.residentId } })).toBe(0);
  });

  it('over Telegram, the emergency path: the numbers at once, every member of the lane offered, one holder', async () => {
    const side = sides.telegram;
    const { resident } = side;
    const everyone = [...side.members, evening];
    const marks = await Promise.all(everyone.map(async (m) => (await m.chat.texts()).length));
    await step(resident, say('报修'), '先确认安全');
    const numbers = await step(resident, choose('闻到燃气味'), '请先保证安全');
    expect(numbers).toContain('火警：119');
    await textIn(resident, '请用一句话说说是什么情况');
    const filed = await step(resident, say('厨房燃气表附近有很大的煤气味'), '已按紧急情况登记');
    expect(filed).toContain('已同时通知所有能去的师傅');
    const number = NUMBER.exec(filed)![1]!;

    // Every member of the lane at once, the evening worker too: a gas smell does not wait for their hours.
    const offers = await Promise.all(everyone.map((m, i) => textIn(m.chat, '🚨紧急维修', marks[i])));
    for (const offer of offers) expect(offer).toContain(number);
    const rows = await prisma().dispatchOffer.findMany({ where: { workOrder: { ticket: { number } } } });
    expect(rows.map((o) => o.memberId).sort()).toEqual(everyone.map((m) => m.residentId).sort());
    for (const row of rows) expect(row.expiresAt.getTime() - row.offeredAt.getTime()).toBe(2 * MINUTE);

    // Two press accept at once; the first to arrive holds it.
    const [a, b] = [everyone[1]!, everyone[3]!];
    await Promise.all([a.chat.choose('接单'), b.chat.choose('接单')]);
    const order = await waitFor(async () => {
      // The work order is read before its offers (two reads): once it has left `offered`, its offers are read as that change left them.
      const row = await prisma().workOrder.findFirstOrThrow({ where: { ticket: { number } }, include: { offers: true } });
      return row.status !== 'offered' && row.offers.every((o) => o.status !== 'open') ? row : undefined;
    }, 'every emergency offer closed');
    expect(order).toMatchObject({ status: 'accepted', emergency: true });
    expect(order.offers.filter((o) => o.status === 'accepted').map((o) => o.memberId)).toEqual([order.memberId]);
    expect([a.residentId, b.residentId]).toContain(order.memberId);
    const holder = everyone.find((m) => m.residentId === order.memberId)!;
    await textIn(holder.chat, `您已接下${number}`);
    for (const [i, member] of everyone.entries()) {
      if (member !== holder) await textIn(member.chat, `${number}已由其他队员接单`, marks[i]);
    }
    await textIn(resident, `【${number}】${workerOf(holder.name)}已接单`);
  });

  it.each(['wechat', 'web'] as const)('over %s, the emergency path: the numbers at once, every member of the lane offered, one holder', async (channel) => {
    const side = sides[channel];
    const { resident, members } = side;
    const marks = await Promise.all(members.map(async (m) => (await m.chat.texts()).length));
    await step(resident, say('报修'), '先确认安全');
    const numbers = await step(resident, choose('闻到燃气味'), '请先保证安全');
    expect(numbers).toContain('火警：119');
    await textIn(resident, '请用一句话说说是什么情况');
    const filed = await step(resident, say('院里燃气表那边一股煤气味'), '已按紧急情况登记');
    expect(filed).toContain('已同时通知所有能去的师傅');
    const number = NUMBER.exec(filed)![1]!;

    // Every member of the lane at once; on WeChat with the choices as numbered lines.
    const offers = await Promise.all(members.map((m, i) => textIn(m.chat, '🚨紧急维修', marks[i])));
    for (const offer of offers) {
      expect(offer).toContain(number);
      if (channel === 'wechat') expect(offer).toMatch(/^\d+\. .*接单/m);
    }
    const rows = await prisma().dispatchOffer.findMany({ where: { workOrder: { ticket: { number } } } });
    expect(rows.map((o) => o.memberId).sort()).toEqual(members.map((m) => m.residentId).sort());

    // Two accept at once (on WeChat by the number of 接单); the first to arrive holds it.
    const [a, b] = [members[0]!, members[2]!];
    await Promise.all([a.chat.choose('接单'), b.chat.choose('接单')]);
    const order = await waitFor(async () => {
      const row = await prisma().workOrder.findFirstOrThrow({ where: { ticket: { number } }, include: { offers: true } });
      return row.status !== 'offered' && row.offers.every((o) => o.status !== 'open') ? row : undefined;
    }, 'every emergency offer closed');
    expect(order).toMatchObject({ status: 'accepted', emergency: true });
    expect(order.offers.filter((o) => o.status === 'accepted').map((o) => o.memberId)).toEqual([order.memberId]);
    expect([a.residentId, b.residentId]).toContain(order.memberId);
    const holder = members.find((m) => m.residentId === order.memberId)!;
    await textIn(holder.chat, `您已接下${number}`);
    for (const [i, member] of members.entries()) {
      if (member !== holder) await textIn(member.chat, `${number}已由其他队员接单`, marks[i]);
    }
    await textIn(resident, `【${number}】${workerOf(holder.name)}已接单`);
  });
});
