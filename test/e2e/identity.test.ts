/**
 * Identity in chat, through the whole app: binding with valid, used, expired and wrong codes
 * (the lock at the 5th and its end), two platforms (the web chat and Telegram through the fake
 * Bot API) bound to one resident, who am I, unbinding one account, visitors led to binding, a
 * request approved by staff and the person told, my data showing only one's own, removing
 * oneself, two accounts racing for one code, a code sent in a Telegram group, and a household
 * code on WeChat (no buttons: the person answers the numbered list).
 */
import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { storePhoto, uploadFileName, uploadPath } from '../../src/channels/media/photo-files.js';
import type { OutboundMessage } from '../../src/channels/types.js';
import { approveBindingRequest } from '../../src/features/identity/binding-requests.js';
import { createInviteCode } from '../../src/features/identity/invite-codes.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { FakeUser } from '../fakes/telegram-bot-api/world.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { seedHousehold, type SeededHousehold } from '../features/identity/support/seed.js';
import { tablesContaining } from '../features/privacy/support/scan-database.js';
import { waitFor } from '../support/wait-for.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';

const operator = { kind: 'operator' } as const;

describe.each(databaseTargets())('identity in chat on %s', (target) => {
  let telegram: FakeTelegramBotApi;
  let t: TestApp;
  const prisma = () => t.app.database.prisma;
  const communityId = () => t.app.communityId;

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    t = await startTestApp(
      target,
      {
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_MAX_PER_CHAT_PER_SECOND: '20',
        TELEGRAM_MAX_PER_SECOND: '600',
        COMMUNITY_OFFICE_PHONE: '0991-1234567',
      },
      undefined,
      { serve: true },
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  const household = (...names: string[]) =>
    seedHousehold(
      prisma(),
      communityId(),
      names.map((name, i) => ({ name, phone: `1390000${String(1000 + i).slice(-4)}` })),
    );
  const personCode = async (residentId: string) => (await createInviteCode(prisma(), { communityId: communityId(), residentId, actor: operator })).code;
  const texts = (messages: OutboundMessage[]) => messages.map((m) => m.text);
  const accountOf = (person: WebPerson) =>
    prisma().chatAccount.findUniqueOrThrow({
      where: { communityId_channel_externalId: { communityId: communityId(), channel: 'web', externalId: person.sessionId } },
    });

  /** A Telegram user in a private chat with the bot. */
  function telegramUser(): { user: FakeUser; say(text: string, replies: number): Promise<string[]> } {
    const user = telegram.createUser({ language_code: 'zh-hans' });
    let seen = 0;
    return {
      user,
      async say(text, replies) {
        telegram.userSays(user, user, text);
        const messages = await waitFor(() => {
          const sent = telegram.sentTo(user.id);
          return sent.length >= seen + replies ? sent.slice(seen, seen + replies) : undefined;
        }, `${replies} Telegram message(s)`);
        seen += replies;
        return messages.map((m) => m.text ?? '');
      },
    };
  }

  describe('binding with a code', () => {
    let family: SeededHousehold;
    let code: string;
    beforeAll(async () => {
      family = await household('张三');
      code = await personCode(family.residentIds[0]!);
    });

    it('a valid code binds and welcomes the person by name', async () => {
      const person = new WebPerson(t.app);
      const [welcome, menu] = texts(await person.ask(`/bind ${code.toLowerCase()}`, 2));
      expect(welcome).toContain('欢迎您，张三');
      expect(welcome).toContain(family.address);
      expect(menu).toContain('请选择您要办理的事项');
      expect((await accountOf(person)).residentId).toBe(family.residentIds[0]);
    });

    it('a used code is refused as used', async () => {
      const person = new WebPerson(t.app);
      const [used] = texts(await person.ask(`绑定 ${code}`, 2));
      expect(used).toContain('这个绑定码已经使用过了');
      expect((await accountOf(person)).residentId).toBeNull();
    });

    it('an expired code is refused, asking for a new one from the office', async () => {
      const family = await household('李四');
      const code = await personCode(family.residentIds[0]!);
      await prisma().inviteCode.updateMany({ where: { residentId: family.residentIds[0] }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const person = new WebPerson(t.app);
      const [expired] = texts(await person.ask(`/bind ${code}`, 2));
      expect(expired).toBe('这个绑定码已经过期了，请向社区办公室（电话：0991-1234567）索取新的绑定码。');
    });

    it('wrong codes: the 4th leaves one try, the 5th locks, the right code waits, and works once the lock is over', async () => {
      const family = await household('王五');
      const code = await personCode(family.residentIds[0]!);
      const person = new WebPerson(t.app);
      expect(texts(await person.ask('/bind', 1))[0]).toContain('请输入社区办公室给您的绑定码');
      for (const tries of [4, 3, 2, 1]) {
        const [invalid, again] = texts(await person.ask('WXYZ-2345', 2));
        expect(invalid).toBe(`这不是有效的绑定码，请核对后重新输入（还可以再试${tries}次）。`);
        expect(again).toContain('请输入社区办公室给您的绑定码');
      }
      const [locked] = texts(await person.ask('WXYZ-2346', 2));
      expect(locked).toMatch(/这个绑定码也不对。为了安全，绑定功能暂停到\d\d:\d\d（约15分钟后）/);

      const [stillLocked] = texts(await person.ask(`/bind ${code}`, 2));
      expect(stillLocked).toMatch(/请在\d\d:\d\d之后（约1[45]分钟后）再试/);
      expect((await accountOf(person)).residentId).toBeNull();

      // Fifteen minutes later (the lock's end moved to now).
      await prisma().chatAccount.update({ where: { id: (await accountOf(person)).id }, data: { bindLockedUntil: new Date() } });
      const [welcome] = texts(await person.ask(`/bind ${code}`, 2));
      expect(welcome).toContain('欢迎您，王五');
    });

    it('a household code lists the members; the person picks themself', async () => {
      const family = await household('赵一', '赵二');
      const { code } = await createInviteCode(prisma(), { communityId: communityId(), householdId: family.householdId, actor: operator });
      const person = new WebPerson(t.app);
      const [list] = await person.ask(`/bind ${code}`, 1);
      expect(list!.text).toContain(family.address);
      expect(list!.choices?.map((c) => c.label)).toEqual(['赵一', '赵二', '名单里没有我']);
      const [welcome] = texts(await person.pressAndWait(button(list, '赵二'), 2));
      expect(welcome).toContain('欢迎您，赵二');
      expect((await accountOf(person)).residentId).toBe(family.residentIds[1]);
    });

    it('two accounts racing for one code: one is bound, the other told it was used', async () => {
      const family = await household('孙七');
      const code = await personCode(family.residentIds[0]!);
      const [a, b] = [new WebPerson(t.app), new WebPerson(t.app)];
      await Promise.all([a.say(`/bind ${code}`), b.say(`/bind ${code}`)]);
      const replies = [(await a.waitForMessages(2))[0]!.text, (await b.waitForMessages(2))[0]!.text];
      expect(replies.filter((text) => text.includes('欢迎您，孙七'))).toHaveLength(1);
      expect(replies.filter((text) => text.includes('已经使用过了'))).toHaveLength(1);
      expect(await prisma().chatAccount.count({ where: { residentId: family.residentIds[0] } })).toBe(1);
    });
  });

  describe('one resident on two platforms', () => {
    let family: SeededHousehold;
    const web = () => new WebPerson(t.app);
    let person: WebPerson;
    let tg: ReturnType<typeof telegramUser>;
    beforeAll(async () => {
      family = await household('周八');
      person = web();
      tg = telegramUser();
    });

    it('binds on the web chat and on Telegram (a deep link /start CODE); who am I lists both', async () => {
      await person.ask(`/bind ${await personCode(family.residentIds[0]!)}`, 2);
      const [welcome] = await tg.say(`/start ${await personCode(family.residentIds[0]!)}`, 2);
      expect(welcome).toContain('欢迎您，周八！您的Telegram账号已绑定');
      const [me] = await tg.say('/whoami', 2);
      expect(me).toContain('姓名：周八');
      expect(me).toContain(`住址：${family.address}`);
      expect(me).toContain('身份：居民');
      expect(me).toContain('已绑定的平台：Telegram、网页聊天');
    });

    it('unbinding on the web asks first, then unbinds the web account only', async () => {
      const [confirm] = await person.ask('解绑', 1);
      expect(confirm!.text).toContain('确定要解除本网页聊天账号与“周八”的绑定吗');
      const [done] = texts(await person.pressAndWait(button(confirm, '确认'), 2));
      expect(done).toBe('已解除本网页聊天账号的绑定。');
      const [visitor] = texts(await person.ask('我是谁', 2));
      expect(visitor).toContain('您的账号还没有绑定');
      const [me] = await tg.say('我是谁', 2);
      expect(me).toContain('已绑定的平台：Telegram');
      expect(me).not.toContain('网页聊天');
    });

    it('in a Telegram group a code is not taken: the person is asked to write privately', async () => {
      const group = telegram.createGroup();
      const other = telegram.createUser({ language_code: 'zh-hans' });
      const code = await personCode(family.residentIds[0]!);
      telegram.userSays(group, other, `/bind@${telegram.bot.username} ${code}`);
      const [refusal] = await waitFor(() => {
        const sent = telegram.sentTo(group.id);
        return sent.length >= 1 ? sent : undefined;
      }, 'a reply in the group');
      expect(refusal!.text).toContain('请直接私聊我办理，不要在群里发送');
      expect((await prisma().inviteCode.findFirstOrThrow({ where: { residentId: family.residentIds[0], usedAt: null } })).usedAt).toBeNull();
    });
  });

  describe('visitors', () => {
    it('are told how to bind when they pick a service for residents, and can start from there', async () => {
      const person = new WebPerson(t.app);
      const [menu] = await person.ask('你好');
      expect(menu!.choices?.map((c) => c.label)).toContain('👤 我的账户');
      const [explain] = await person.pressAndWait(button(menu, '报修'));
      expect(explain!.text).toContain('这项服务只对本社区已绑定的居民开放');
      expect(explain!.choices?.map((c) => c.label)).toEqual(['🔑 我有绑定码', '📝 没有绑定码，申请绑定', '↩️ 返回主菜单']);
      const [ask] = await person.pressAndWait(button(explain, '我有绑定码'));
      expect(ask!.text).toContain('请输入社区办公室给您的绑定码');
    });

    it('ask to be bound; staff approve; the person is told in chat and bound', async () => {
      const family = await household('吴九');
      const person = new WebPerson(t.app);
      const [menu] = await person.ask('你好');
      const [account] = await person.pressAndWait(button(menu, '我的账户'));
      const [intro, askName] = await person.pressAndWait(button(account, '申请绑定'), 2);
      expect(intro!.text).toContain('请告诉我您的姓名、住址和电话');
      expect(askName!.text).toContain('请输入您的姓名');
      await person.ask('吴九');
      await person.ask(family.address);
      expect((await person.ask('12345', 2))[0]!.text).toContain('这个电话号码好像不对');
      const [review] = await person.ask('139-0000-1000');
      expect(review!.text).toContain('电话：13900001000');
      const [done] = texts(await person.pressAndWait(button(review, '确认'), 2));
      const number = Number(/编号(\d+)/.exec(done!)?.[1]);
      expect(number).toBeGreaterThan(0);

      const before = (await person.received()).length;
      const outcome = await approveBindingRequest(prisma(), {
        communityId: communityId(),
        number,
        householdCode: family.code,
        actor: operator,
        notifier: t.app.notifier,
        outbox: t.app.outbox,
      });
      expect(outcome).toMatchObject({ status: 'approved', residentId: family.residentIds[0], createdResident: false });
      const [notice] = (await person.waitForMessages(before + 1)).slice(before);
      expect(notice!.text).toBe(`您的绑定申请（编号${number}）已批准。欢迎您，吴九！回复“菜单”就可以开始办理社区事务了。`);
      const [me] = texts(await person.ask('我是谁', 2));
      expect(me).toContain('姓名：吴九');
    });
  });

  describe('my data and removing oneself', () => {
    it('/mydata shows the person’s own data and nothing of the other members', async () => {
      const family = await household('郑十', '郑十一');
      const person = new WebPerson(t.app);
      await person.ask(`/bind ${await personCode(family.residentIds[0]!)}`, 2);
      const [mine] = texts(await person.ask('/mydata', 2));
      expect(mine).toContain('只有您本人能看到');
      expect(mine).toContain('姓名：郑十');
      expect(mine).toContain('电话：13900001000');
      expect(mine).toContain(family.address);
      expect(mine).toContain('已绑定账号：网页聊天');
      expect(mine).not.toContain('郑十一');
      expect(mine).not.toContain('13900001001');
    });

    it('remove me says what is kept, asks, then removes the person and what their chat held', async () => {
      const family = await household('冯十二');
      const person = new WebPerson(t.app);
      await person.ask(`/bind ${await personCode(family.residentIds[0]!)}`, 2);
      await person.ask('/whoami', 2);
      await person.ask('/mydata', 2);
      // A photo they sent earlier, kept in the photo store.
      const photo = await storePhoto(t.app.config.DATA_DIR, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'image/jpeg');
      await prisma().storedPhoto.create({
        data: { communityId: t.app.communityId, ref: photo, chatAccountId: (await accountOf(person)).id, residentId: family.residentIds[0]!, bytes: 7 },
      });
      const photoFile = uploadPath(t.app.config.DATA_DIR, uploadFileName(photo)!);
      expect(existsSync(photoFile)).toBe(true);
      const [menu] = await person.ask('菜单');
      const [account] = await person.pressAndWait(button(menu, '我的账户'));
      const [explain, confirm] = await person.pressAndWait(button(account, '注销'), 2);
      expect(explain!.text).toContain('您提交过的工单会保留在社区的记录里，但不再显示您的姓名');
      await person.press(button(confirm, '确认'));
      // The web chat's history goes with the person: afterwards it holds only the confirmation.
      const left = await waitFor(async () => {
        const now = texts(await person.received());
        return now.length === 1 && now[0]!.includes('已为您注销') ? now : undefined;
      }, 'only the confirmation left in the history');
      expect(left).toEqual([expect.stringContaining('已为您注销')]);
      // Their photo goes with them, right after the removal (not at the next periodic sweep).
      const photoDeadline = Date.now() + 15_000;
      while (existsSync(photoFile) && Date.now() < photoDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(existsSync(photoFile)).toBe(false);
      expect(await prisma().storedPhoto.count({ where: { ref: photo } })).toBe(0);

      expect(await prisma().resident.findUnique({ where: { id: family.residentIds[0] } })).toBeNull();
      expect((await accountOf(person)).residentId).toBeNull();
      const [visitor] = texts(await person.ask('我是谁', 2));
      expect(visitor).toContain('您的账号还没有绑定');
      // No record keeps the name: not the messages sent, the conversation, the effects' log or the audit log.
      expect(await tablesContaining(prisma(), '冯十二')).toEqual({});
    });
  });
});

describe('binding on WeChat, where choices are numbered lines', () => {
  let t: TestApp;
  let mocker: mock.Mocker;
  beforeAll(async () => {
    mocker = new mock.Mocker();
    const puppet = new RecordingPuppetMock({ mocker });
    t = await startTestApp(
      databaseTargets()[0]!,
      { WECHAT_MIN_SEND_INTERVAL_MS: '5', WECHAT_MAX_SEND_INTERVAL_MS: '10' },
      undefined,
      { serve: true, wechatPuppet: puppet },
    );
  }, 60_000);
  afterAll(() => t?.close());

  it('绑定 with a household code lists the members by number; replying 2 binds the second', async () => {
    const family = await seedHousehold(t.app.database.prisma, t.app.communityId, [{ name: '陈一' }, { name: '陈二' }]);
    const { code } = await createInviteCode(t.app.database.prisma, { communityId: t.app.communityId, householdId: family.householdId, actor: operator });
    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    mocker.login(bot);
    const resident = mocker.createContact({ name: '居民乙', avatar: '' });
    const seen: string[] = [];
    (resident as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string } }) => {
      if (message.payload.talkerId === bot.id) seen.push(message.payload.text ?? '');
    });
    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');

    resident.say(`绑定 ${code.toLowerCase().replace('-', ' ')}`).to(bot);
    const [list] = await waitFor(() => (seen.length >= 1 ? seen.slice(0, 1) : undefined), 'the list of members');
    expect(list).toContain(family.address);
    expect(list).toContain('1. 陈一\n2. 陈二\n3. 名单里没有我');
    resident.say('2').to(bot);
    const [welcome] = await waitFor(() => (seen.length >= 3 ? seen.slice(1, 3) : undefined), 'the welcome');
    expect(welcome).toContain('欢迎您，陈二！您的微信账号已绑定');
    const account = await t.app.database.prisma.chatAccount.findFirstOrThrow({ where: { communityId: t.app.communityId, channel: 'wechat' } });
    expect(account.residentId).toBe(family.residentIds[1]);
  });
});
