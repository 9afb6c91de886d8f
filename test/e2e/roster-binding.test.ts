/**
 * The main way residents join, end to end: the office imports its roster with `linli roster
 * import` (household fields filled on each household's first row only, as offices do) or seeds
 * the demo community with `linli demo seed`, hands out a household's code with `linli invite`,
 * and a member of the household binds with it — sending the code on its own, as the slip says —
 * on Telegram (the fake Bot API: inline buttons, 64 bytes of callback data at most), on WeChat
 * (wechaty-puppet-mock: numbered lines) and on the web chat. Every member of the household is
 * offered by name, though imported residents have 36-character ids.
 */
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { runLinli } from '../../src/cli/linli-run.js';
import type { ChannelName } from '../../src/channels/types.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';

const ROSTER = [
  '户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言',
  'H0001,平房区/团结巷/3号院,团结巷3号院1号,张秀兰,13800138000,1948,老年,G01,是,中文',
  'H0001,,,李建国,,1946,,,,',
  'H0001,,,李小梅,13900139000,1980,,,,',
  'H0002,平房区/团结巷/3号院,团结巷3号院2号,王芳,13700137000,1980,,G01,,',
  'H0002,,,王强,,1982,,,,',
  'H0003,楼寓/1号楼,1号楼2单元301,赵磊,13600136000,1975,,,,',
  'H0003,,,赵小雨,,2010,,,,',
].join('\n');

async function until<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(databaseTargets())('residents from the roster bind with a household code on every channel, on %s', (target) => {
  let telegram: FakeTelegramBotApi;
  let mocker: mock.Mocker;
  let wxBot: mock.ContactMock;
  let t: TestApp;
  let dir: string;
  let slug: string;
  const prisma = () => t.app.database.prisma;

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    mocker = new mock.Mocker();
    t = await startTestApp(
      target,
      {
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_MAX_PER_CHAT_PER_SECOND: '20',
        TELEGRAM_MAX_PER_SECOND: '600',
        WECHAT_MIN_SEND_INTERVAL_MS: '5',
        WECHAT_MAX_SEND_INTERVAL_MS: '10',
      },
      undefined,
      { serve: true, wechatPuppet: new RecordingPuppetMock({ mocker }) },
    );
    wxBot = mocker.createContact({ name: '邻里助手', avatar: '' });
    mocker.login(wxBot);
    slug = (await prisma().community.findUniqueOrThrow({ where: { id: t.app.communityId } })).slug;
    dir = await mkdtemp(join(tmpdir(), 'linli-roster-binding-'));
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

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

  /** `linli invite <household>`: the one-time code it prints. */
  async function invite(householdCode: string): Promise<string> {
    const printed = await linli(['invite', householdCode]);
    return /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(printed)![1]!;
  }

  const members = async (householdCode: string) =>
    prisma().resident.findMany({
      where: { communityId: t.app.communityId, household: { code: householdCode } },
      orderBy: { position: 'asc' },
      select: { id: true, name: true },
    });

  const boundTo = async (channel: ChannelName, externalId: string) =>
    (await prisma().chatAccount.findUniqueOrThrow({ where: { communityId_channel_externalId: { communityId: t.app.communityId, channel, externalId } } }))
      .residentId;

  /** Each channel's way: send the code alone, see every member listed, pick `name`; the welcome and the account bound. */
  const bindOn: Record<ChannelName, (code: string, names: string[], name: string) => Promise<{ welcome: string; residentId: string | null }>> = {
    async telegram(code, names, name) {
      const user = telegram.createUser({ language_code: 'zh-hans' });
      telegram.userSays(user, user, code);
      const list = await until(() => telegram.sentTo(user.id).find((m: SentMessage) => m.keyboard !== undefined), 'the members as buttons');
      expect(list.text).toContain('请问您是下面哪一位');
      const buttons = list.keyboard!.flat();
      expect(buttons.map((b) => b.text)).toEqual([...names, '名单里没有我']);
      for (const b of buttons) expect(Buffer.byteLength(b.callback_data!)).toBeLessThanOrEqual(64);
      telegram.userPresses(user, user, list.messageId, buttons.find((b) => b.text === name)!.callback_data!);
      const welcome = await until(() => telegram.sentTo(user.id).find((m) => (m.text ?? '').includes('欢迎您')), 'the welcome');
      return { welcome: welcome.text!, residentId: await boundTo('telegram', String(user.id)) };
    },
    async wechat(code, names, name) {
      const resident = mocker.createContact({ name: `居民${Math.random().toString(36).slice(2, 6)}`, avatar: '' });
      const seen: string[] = [];
      (resident as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string } }) => {
        if (message.payload.talkerId === wxBot.id) seen.push(message.payload.text ?? '');
      });
      resident.say(code).to(wxBot);
      const list = await until(() => seen.find((text) => text.includes('请问您是下面哪一位')), 'the numbered members');
      expect(list).toContain([...names, '名单里没有我'].map((n, i) => `${i + 1}. ${n}`).join('\n'));
      resident.say(String(names.indexOf(name) + 1)).to(wxBot);
      const welcome = await until(() => seen.find((text) => text.includes('欢迎您')), 'the welcome');
      return { welcome, residentId: await boundTo('wechat', resident.id) };
    },
    async web(code, names, name) {
      const person = new WebPerson(t.app);
      const [list] = await person.ask(code);
      expect(list!.text).toContain('请问您是下面哪一位');
      expect(list!.choices?.map((c) => c.label)).toEqual([...names, '名单里没有我']);
      const [welcome] = await person.pressAndWait(button(list, name), 2);
      return { welcome: welcome!.text, residentId: await boundTo('web', person.sessionId) };
    },
  };

  describe('imported by linli roster import', () => {
    beforeAll(async () => {
      const file = join(dir, 'roster.csv');
      await writeFile(file, `${ROSTER}\n`);
      expect(await linli(['roster', 'import', file])).toContain('住户：新增3');
    }, 60_000);

    it('the importer gives residents 36-character ids and fills household fields left blank', async () => {
      const family = await members('H0001');
      expect(family.map((m) => m.name)).toEqual(['张秀兰', '李建国', '李小梅']);
      for (const member of family) expect(member.id).toHaveLength(36);
      const household = await prisma().household.findFirstOrThrow({ where: { communityId: t.app.communityId, code: 'H0001' }, include: { area: true } });
      expect([household.address, household.area.path]).toEqual(['团结巷3号院1号', '平房区/团结巷/3号院']);
    });

    it.each([
      ['telegram', 'H0001', '李小梅'],
      ['wechat', 'H0002', '王强'],
      ['web', 'H0003', '赵小雨'],
    ] as const)('on %s a member of %s sends the code alone, picks %s from the whole household, and is bound', async (channel, householdCode, name) => {
      const family = await members(householdCode);
      const code = await invite(householdCode);
      const { welcome, residentId } = await bindOn[channel](
        code,
        family.map((m) => m.name),
        name,
      );
      expect(welcome).toContain(`欢迎您，${name}`);
      expect(residentId).toBe(family.find((m) => m.name === name)!.id);
    });
  });

  describe('seeded by linli demo seed', () => {
    let households: { code: string; names: string[] }[];
    beforeAll(async () => {
      await linli(['demo', 'seed', '--households', '30', '--seed', '7']);
      const seeded = await prisma().household.findMany({
        where: { communityId: t.app.communityId, code: { notIn: ['H0001', 'H0002', 'H0003'] } },
        include: { residents: { orderBy: { position: 'asc' }, select: { name: true } } },
        orderBy: { code: 'asc' },
      });
      // Households of two or more, so the person really has to say who they are.
      households = seeded.filter((h) => h.residents.length >= 2).slice(0, 3).map((h) => ({ code: h.code, names: h.residents.map((r) => r.name) }));
      expect(households).toHaveLength(3);
    }, 120_000);

    it.each(['telegram', 'wechat', 'web'] as const)('on %s a demo household’s member binds with its code', async (channel) => {
      const household = households[['telegram', 'wechat', 'web'].indexOf(channel)]!;
      const name = household.names.at(-1)!;
      const { welcome, residentId } = await bindOn[channel](await invite(household.code), household.names, name);
      expect(welcome).toContain(`欢迎您，${name}`);
      const family = await members(household.code);
      expect(residentId).toBe(family.at(-1)!.id);
    });
  });
});
