/**
 * The flows in flows/ load cleanly against the locales, and behave as promised: the menu's
 * unbuilt entries say they are coming (and do nothing), visitors are led to binding, language
 * switches, help helps, and the account flows call their effects with what the person typed.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEngine } from '../../src/conversation/engine.js';
import { loadFlows, formatProblem } from '../../src/conversation/flow-loader.js';
import { APP_EFFECTS } from '../support/app-effects.js';
import type { Json } from '../../src/conversation/engine-types.js';
import { Chat, FakeContext, SERVICE_VARS } from './support/engine-harness.js';
import { ROOT, testTranslator } from './support/test-locales.js';

const translator = testTranslator();
const loaded = loadFlows(join(ROOT, 'flows'), { effects: APP_EFFECTS, locales: translator });
const engine = createEngine(loaded.registry);

function newChat(locale = 'zh-CN', effects: Record<string, (args: Record<string, Json>) => Json> = {}): Chat {
  return new Chat(engine, new FakeContext(translator, locale, effects));
}

/** A visitor (account bound to no one) in a private chat. */
function visitorChat(effects: Record<string, (args: Record<string, Json>) => Json> = {}, locale = 'zh-CN'): Chat {
  const chat = newChat(locale, { identity_bind_status: () => ({ status: 'visitor' }), ...effects });
  chat.ctx.actor = 'visitor';
  return chat;
}

/**
 * Entries for residents that are built: they open their own flow (tested in ticket-flows.test.ts,
 * the repair flows end to end in test/e2e/repair-resident-*.test.ts, meetings in
 * test/e2e/meetings-rsvp.test.ts).
 */
const BUILT_RESIDENT_ENTRIES = ['complaint', 'my_tickets', 'repair', 'meetings'] as const;

describe('flows/', () => {
  it('loads with no problems against every locale', () => {
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.registry.ids().sort()).toEqual([
      'account',
      'bind',
      'bind_request',
      'complaint',
      'fund',
      'help',
      'housekeeping',
      'job_accept',
      'job_decline',
      'jobs',
      'language',
      'main_menu',
      'meeting_rsvp',
      'meetings',
      'my_data',
      'my_repairs',
      'my_tickets',
      'notices',
      'rate_ticket',
      'remove_me',
      'repair',
      'repair_confirm',
      'repair_not_fixed',
      'resident_only',
      'unbind',
      'whoami',
    ]);
  });

  it('the first message shows the welcome and the menu, with the account entry', async () => {
    const chat = newChat();
    await chat.send('你好');
    expect(chat.keys).toEqual(['flows.main_menu.prompt']);
    expect(chat.offered).toEqual(['complaint', 'repair', 'my_tickets', 'notices', 'meetings', 'account', 'language', 'help']);
    expect(chat.texts[0]).toContain('邻里社区助手');
    expect(chat.texts[0]).toContain('我的账户');
    expect(chat.texts[0]).toContain('预约家政服务请发送“家政”');
  });

  it.each([['家政'], ['保洁'], ['/housekeeping']])('at the menu, %j opens housekeeping booking', async (typed) => {
    const chat = newChat('zh-CN', { housekeeping_start: () => ({ status: 'ok', booked: 'no', services: [{ value: 's1', label: '日常保洁' }] }) });
    await chat.send('你好');
    await chat.send(typed);
    expect(chat.keys).toEqual(['flows.housekeeping.pick_service']);
    expect(chat.offered).toEqual(['s1']);
  });

  it('flows that show or change personal data are for residents and private chats; binding is private', () => {
    const audience = (id: string) => loaded.registry.get(id)!.audience;
    const chat = (id: string) => loaded.registry.get(id)!.chat;
    for (const id of [...BUILT_RESIDENT_ENTRIES, 'housekeeping', 'rate_ticket', 'unbind', 'my_data', 'remove_me']) expect(audience(id), id).toBe('resident');
    for (const id of ['main_menu', 'help', 'language', 'bind', 'bind_request', 'whoami', 'account', 'resident_only']) {
      expect(audience(id), id).toBe('everyone');
    }
    for (const id of ['bind', 'bind_request', 'whoami', 'unbind', 'my_data', 'remove_me', 'account', ...BUILT_RESIDENT_ENTRIES, 'housekeeping', 'rate_ticket']) {
      expect(chat(id), id).toBe('private');
    }
  });
});

describe('meetings from the menu', () => {
  it('lists the meetings ahead, or says there are none and offers the calendar feed', async () => {
    const chat = newChat('zh-CN', { meetings_upcoming: () => ({ status: 'none', text: '', items: [] }) });
    await chat.send('你好');
    await chat.press('meetings');
    expect(chat.keys).toEqual(['flows.meetings.none', 'flows.meetings.ask_more']);
    expect(chat.ctx.reads.map((read) => read.call.name)).toEqual(['meetings_upcoming']);
  });

  it('in English too', async () => {
    const chat = newChat('en', { meetings_upcoming: () => ({ status: 'none', text: '', items: [] }) });
    await chat.send('hello');
    await chat.send('meetings');
    expect(chat.texts[0]).toContain('You are not invited to any meeting ahead.');
  });
});

describe('notices from the menu', () => {
  it('the notices (通知公告) are open to a visitor: the archive lists what is for everyone', async () => {
    const chat = visitorChat({ notices_list: () => ({ status: 'none' }) });
    await chat.send('你好');
    const result = await chat.press('notices');
    expect(chat.keys).toEqual(['flows.notices.empty', 'flows.main_menu.prompt']);
    expect(result.runsEnded.map((run) => run.how)).toEqual(['completed', 'completed']);
  });

  it.each([['通知', 'notices']])('typed %j opens %s', async (typed, entry) => {
    const chat = newChat('zh-CN', { notices_list: () => ({ status: 'none' }) });
    await chat.send('你好');
    await chat.send(typed);
    expect(chat.keys[0]).toBe(`flows.${entry}.empty`);
  });

});

describe('repairs from the menu', () => {
  it.each(['2', '报修', '我家水管坏了', 'repair'])('typed %j opens the repair request, safety first', async (typed) => {
    const chat = newChat();
    await chat.send('你好');
    await chat.send(typed);
    expect(chat.keys).toEqual(['flows.repair.ask_danger']);
    expect(chat.step).toBe('repair/ask_danger');
  });

  it('a danger tells the emergency numbers before anything else is asked', async () => {
    const chat = newChat('zh-CN', { repairs_emergency: () => ({ text: '燃气抢修：96777\n火警：119' }) });
    await chat.send('报修');
    await chat.send('燃气');
    expect(chat.keys).toEqual(['flows.repair.emergency_numbers', 'flows.repair.ask_emergency_description']);
    expect(chat.texts[0]).toContain('燃气抢修：96777\n火警：119');
  });

  it('an emergency nobody could be offered at once says staff are arranging it', async () => {
    const chat = newChat('zh-CN', {
      repairs_start: () => ({ status: 'ok', hasHome: 'yes', windows: [] }),
      repairs_emergency: () => ({ text: '火警：119' }),
      repairs_file: () => ({ status: 'filed', number: 'BX-2026-00001', expect: '12月8日11:00', emergency: 'yes', dispatch: 'unassigned' }),
    });
    await chat.send('报修');
    await chat.send('倒塌');
    await chat.send('后墙裂了一条大缝');
    expect(chat.keys).toEqual(['flows.repair.emergency_unassigned', 'flows.main_menu.prompt']);
    expect(chat.ctx.executed.map((e) => e.call.name)).toEqual(['repairs_file']);
  });

  it('housekeeping is reached from the repair request too', async () => {
    const chat = newChat();
    await chat.send('报修');
    await chat.send('都没有');
    await chat.press('housekeeping');
    // The housekeeping flow itself answers (here: no home to book for, with nothing stubbed).
    expect(chat.keys[0]).toBe('flows.housekeeping.no_home');
  });

  it('a visitor is led to binding first', async () => {
    const chat = visitorChat();
    await chat.send('你好');
    await chat.send('报修');
    expect(chat.step).toMatch(/^resident_only\//);
  });
});

describe('language', () => {
  it('switches to English, confirms in English and shows the menu in English', async () => {
    const chat = newChat();
    await chat.send('你好');
    await chat.send('语言');
    expect(chat.keys).toEqual(['flows.language.prompt']);
    expect(chat.offered).toEqual(['zh-CN', 'en']);
    await chat.send('English');
    expect(chat.ctx.executed).toEqual([
      { runId: 'run-2', stepId: 'apply', call: { name: 'set_language', args: { locale: 'en' } } },
    ]);
    expect(chat.keys).toEqual(['flows.language.done', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toBe('OK, I will talk to you in English from now on.');
    expect(chat.texts[1]).toContain('What would you like to do?');
  });

  it('and back to Chinese by number', async () => {
    const chat = newChat('en');
    await chat.send('hi');
    await chat.press('language');
    await chat.send('1');
    expect(chat.ctx.locale).toBe('zh-CN');
    expect(chat.texts[0]).toBe('好的，以后我会用中文和您交流。');
  });
});

describe('help', () => {
  it('explains the bot, the commands and the office phone, then shows the menu', async () => {
    const chat = newChat();
    await chat.send('你好');
    await chat.press('help');
    expect(chat.keys).toEqual(['flows.help.text', 'flows.main_menu.prompt']);
    for (const word of ['菜单', '取消', '返回', '帮助', SERVICE_VARS.office]) expect(chat.texts[0]).toContain(word);
  });

  it.each([['帮助'], ['/help'], ['help']])('in the menu, %s gives the same help as the help button', async (command) => {
    const pressed = newChat();
    await pressed.send('你好');
    await pressed.press('help');
    const typed = newChat();
    await typed.send('你好');
    await typed.send(command);
    expect(typed.keys).toEqual(['flows.help.text', 'flows.main_menu.prompt']);
    expect(typed.texts).toEqual(pressed.texts);
  });

  it('with no conversation open, /help gives that same help', async () => {
    const chat = newChat();
    await chat.send('/help');
    expect(chat.keys).toEqual(['flows.help.text', 'flows.main_menu.prompt']);
  });

  it('inside a flow, help explains that step and the words that work everywhere, then asks again', async () => {
    const chat = newChat();
    await chat.send('你好');
    await chat.press('complaint');
    const step = chat.step;
    await chat.send('帮助');
    expect(chat.keys.slice(0, 2)).toEqual(['flows.complaint.help', 'engine.help']);
    expect(chat.step).toBe(step);
  });

  it('the commands named in the help text are the words the engine listens for', () => {
    const named = {
      'zh-CN': { menu: '菜单', cancel: '取消', back: '返回', help: '帮助' },
      en: { menu: 'menu', cancel: 'cancel', back: 'back', help: 'help' },
    } as const;
    for (const [locale, commands] of Object.entries(named)) {
      const ctx = new FakeContext(translator, locale);
      for (const [command, word] of Object.entries(commands)) {
        expect(ctx.t('flows.help.text')).toContain(word);
        expect(ctx.t('engine.help')).toContain(word);
        expect(ctx.words(`engine.commands.${command}`)).toContain(word);
      }
    }
  });
});

describe('visitors and services for residents', () => {
  it.each([...BUILT_RESIDENT_ENTRIES])('a visitor who picks %s is told how to bind and offered to start', async (entry) => {
    const chat = visitorChat();
    await chat.send('你好');
    const result = await chat.press(entry);
    expect(chat.keys).toEqual(['flows.resident_only.explain']);
    expect(chat.offered).toEqual(['bind', 'request', 'menu']);
    expect(chat.texts[0]).toContain('绑定 ABCD-EFGH');
    expect(result.runsStarted.map((run) => run.flowId)).toEqual(['resident_only']);
    expect(chat.ctx.executed).toEqual([]);
  });

  it('and starting from there asks for the code', async () => {
    const chat = visitorChat();
    await chat.send('你好');
    await chat.press('repair');
    await chat.press('bind');
    expect(chat.step).toBe('bind/ask_code');
    expect(chat.keys).toEqual(['flows.bind.ask_code']);
  });

  it('a resident-only command from a visitor leads to the same explanation', async () => {
    const chat = visitorChat();
    await chat.send('/mydata');
    expect(chat.keys).toEqual(['flows.resident_only.explain']);
  });

  it('help, language and the account menu stay open to visitors', async () => {
    const chat = visitorChat();
    await chat.send('你好');
    await chat.press('account');
    expect(chat.keys).toEqual(['flows.account.prompt']);
    expect(chat.offered).toEqual(['whoami', 'bind', 'request', 'unbind', 'my_data', 'remove_me', 'menu']);
    await chat.press('unbind');
    expect(chat.keys).toEqual(['flows.resident_only.explain']);
  });
});

describe('bind', () => {
  const bound = () => ({ status: 'bound' });
  const me = () => ({ status: 'bound', name: '张三', address: '团结巷3号院', roles: '居民', platforms: '微信、Telegram', platform: '微信' });

  it.each([
    ['/bind abcd-efgh', 'abcd-efgh'],
    ['/bind@linli_bot ABCD-EFGH', 'ABCD-EFGH'],
    ['绑定 ABCD EFGH', 'ABCD EFGH'],
    ['绑定ABCD-EFGH', 'ABCD-EFGH'],
    ['／ｂｉｎｄ　ＡＢＣＤ－ＥＦＧＨ', 'ABCD-EFGH'],
    ['/start ABCD-EFGH', 'ABCD-EFGH'],
  ])('%j checks the code it carries and welcomes the person by name', async (typed, code) => {
    const chat = visitorChat({ identity_check_code: bound, identity_whoami: me });
    await chat.send(typed);
    expect(chat.ctx.executed.map((e) => e.call)).toEqual([{ name: 'identity_check_code', args: { code } }]);
    expect(chat.ctx.reads.map((e) => e.call.name)).toEqual(['identity_bind_status', 'identity_whoami']);
    expect(chat.keys).toEqual(['flows.bind.welcome', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toContain('欢迎您，张三');
  });

  it.each([
    ['with no conversation', [] as string[], null],
    ['at the main menu', ['你好'], 'main_menu/menu'],
    ['at the account menu', ['你好', '我的账户'], 'account/menu'],
    ['at a confirmation', ['你好', '我的账户', '申请绑定', '张三', '团结巷3号院1号', '13800138000'], 'bind_request/review'],
  ])('a code sent alone %s is a bind attempt with that code', async (_where, before, at) => {
    for (const code of ['85D6-5BDA', '85d6 5bda', 'ＫＭ３Ｘ－７ＰＱＲ', '85D65BDA']) {
      const attempt = visitorChat({ identity_check_code: bound, identity_whoami: me });
      for (const typed of before) await attempt.send(typed);
      expect(attempt.state ? attempt.step : null).toBe(at);
      await attempt.send(code);
      expect(attempt.ctx.executed.filter((e) => e.call.name === 'identity_check_code').map((e) => e.call.args), code).toEqual([{ code: code.trim() }]);
      expect(attempt.keys[0]).toBe('flows.bind.welcome');
    }
  });

  it('a code-shaped message answers a question that wants words, and is no code in a group or as a plain word', async () => {
    const chat = visitorChat({ identity_check_code: bound });
    await chat.send('你好');
    await chat.send('我的账户');
    await chat.send('申请绑定');
    expect(chat.step).toBe('bind_request/ask_name');
    await chat.send('ABCD-EFGH');
    expect(chat.step).toBe('bind_request/ask_address');
    expect(chat.ctx.executed).toEqual([]);

    const word = visitorChat({ identity_check_code: bound });
    await word.send('feedback');
    await word.send('feedback');
    expect(word.ctx.executed).toEqual([]);

    const group = visitorChat({ identity_check_code: bound });
    group.ctx.chat = 'group';
    await group.send('ABCD-EFGH');
    expect(group.ctx.executed).toEqual([]);
    expect(group.keys).toEqual(['flows.main_menu.prompt']);
  });

  it('/start alone is still the menu; 绑定 alone asks for the code', async () => {
    const chat = visitorChat();
    await chat.send('/start');
    expect(chat.keys).toEqual(['flows.main_menu.prompt']);
    await chat.send('绑定');
    expect(chat.keys).toEqual(['flows.bind.ask_code']);
  });

  it('a sentence that starts with 绑定 is an answer, not a command', async () => {
    const chat = visitorChat();
    await chat.send('/bind');
    await chat.send('绑定的手机号换了怎么办');
    expect(chat.ctx.executed.map((e) => e.call.args)).toEqual([{ code: '绑定的手机号换了怎么办' }]);
  });

  it('a wrong code is said so and asked again; the next code is checked afresh', async () => {
    const results: Json[] = [{ status: 'invalid', tries: 4 }, { status: 'bound' }];
    const chat = visitorChat({ identity_check_code: () => results.shift()!, identity_whoami: me });
    await chat.send('/bind WRON-GGGG');
    expect(chat.keys).toEqual(['flows.bind.invalid', 'flows.bind.ask_code']);
    expect(chat.texts[0]).toContain('还可以再试4次');
    await chat.send('ABCD-EFGH');
    expect(chat.ctx.executed.map((e) => `${e.stepId}:${String(e.call.args.code)}`)).toEqual(['check_code:WRON-GGGG', 'check_code#2:ABCD-EFGH']);
    expect(chat.keys[0]).toBe('flows.bind.welcome');
  });

  it.each([
    ['used', 'flows.bind.used', '已经使用过了'],
    ['expired', 'flows.bind.expired', '已经过期'],
    ['malformed', 'flows.bind.malformed', '8位字母和数字'],
  ])('a %s code is explained', async (status, key, words) => {
    const chat = visitorChat({ identity_check_code: () => ({ status }) });
    await chat.send('/bind ABCD-EFGH');
    expect(chat.keys[0]).toBe(key);
    expect(chat.texts[0]).toContain(words);
  });

  it('the lock says until when, before and after a code', async () => {
    const locked = { status: 'locked', until: '14:35', minutes: 15 };
    const chat = visitorChat({ identity_check_code: () => locked });
    await chat.send('/bind ABCD-EFGH');
    expect(chat.keys).toEqual(['flows.bind.locked_now', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toContain('14:35');
    const later = visitorChat({ identity_bind_status: () => locked });
    await later.send('/bind ABCD-EFGH');
    expect(later.keys).toEqual(['flows.bind.locked', 'flows.main_menu.prompt']);
    expect(later.ctx.executed.map((e) => e.call.name)).toEqual([]);
  });

  it('binding paused for the community: said before a code and after one, never that the code is wrong', async () => {
    const paused = { status: 'paused', until: '14:35', minutes: 12 };
    const chat = visitorChat({ identity_check_code: () => paused });
    await chat.send('/bind ABCD-EFGH');
    expect(chat.keys).toEqual(['flows.bind.paused_now', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toContain('绑定功能暂停到14:35');
    expect(chat.texts[0]).toContain('仍然有效');
    expect(chat.texts[0]).not.toMatch(/不对|无效|输错次数太多/);
    const later = visitorChat({ identity_bind_status: () => paused });
    await later.send('85D6-5BDA');
    expect(later.keys).toEqual(['flows.bind.paused', 'flows.main_menu.prompt']);
    expect(later.texts[0]).toContain('14:35');
    expect(later.ctx.executed).toEqual([]);
  });

  it('a household code lists its members; the person picks one by number, name or button', async () => {
    const household = () => ({
      status: 'ok',
      address: '团结巷3号院',
      members: [
        { value: 'r1', label: '张三' },
        { value: 'r2', label: '李四' },
      ],
    });
    for (const pick of ['2', '李四', { button: 'r2' }] as const) {
      const chat = visitorChat({ identity_check_code: () => ({ status: 'household' }), identity_household: household, identity_bind_member: bound, identity_whoami: me });
      await chat.send('绑定 ABCD-EFGH');
      expect(chat.keys).toEqual(['flows.bind.pick_member']);
      expect(chat.offered).toEqual(['r1', 'r2', 'not_listed']);
      expect(chat.texts[0]).toContain('团结巷3号院');
      expect(chat.texts[0]).toContain('2. 李四');
      await (typeof pick === 'string' ? chat.send(pick) : chat.press(pick.button));
      expect(chat.ctx.executed.find((e) => e.call.name === 'identity_bind_member')?.call.args).toEqual({ code: 'ABCD-EFGH', member: 'r2' });
      expect(chat.keys[0]).toBe('flows.bind.welcome');
    }
  });

  it('"not on the list" leads to a request for staff to check', async () => {
    const chat = visitorChat({
      identity_check_code: () => ({ status: 'household' }),
      identity_household: () => ({ status: 'ok', address: '团结巷3号院', members: [] }),
    });
    await chat.send('/bind ABCD-EFGH');
    expect(chat.offered).toEqual(['not_listed']);
    await chat.send('1');
    // They hold the household's code: offered a request to staff, not told "no code, no problem".
    expect(chat.keys).toEqual(['flows.bind.not_listed_offer']);
    expect(chat.texts[0]).toContain('名单里没有您');
    expect(chat.texts[0]).not.toContain('没有绑定码');
    expect(chat.offered).toEqual(['request', 'menu']);
    await chat.press('request');
    expect(chat.keys).toEqual(['flows.bind_request.intro', 'flows.bind_request.ask_name']);
    expect(chat.texts[0]).not.toContain('没有绑定码');
  });

  it('"not on the list" with a request already waiting says so at once, asking nothing', async () => {
    // Waiting for staff, they may still try a code: the bind flow goes on; the request flow stops.
    const chat = visitorChat({
      identity_bind_status: () => ({ status: 'pending', number: 17 }),
      identity_check_code: () => ({ status: 'household' }),
      identity_household: () => ({ status: 'ok', address: '团结巷3号院', members: [] }),
    });
    await chat.send('/bind ABCD-EFGH');
    expect(chat.keys).toEqual(['flows.bind.pick_member']);
    await chat.send('1');
    await chat.press('request');
    expect(chat.keys).toEqual(['flows.bind_request.pending_before', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toContain('编号17');
  });

  it('someone already bound is told so without being asked for a code', async () => {
    const chat = newChat('zh-CN', { identity_bind_status: () => ({ status: 'bound' }) });
    await chat.send('/bind');
    expect(chat.keys).toEqual(['flows.bind.already_bound', 'flows.main_menu.prompt']);
  });
});

describe('commands in a group', () => {
  it.each(['/bind ABCD-EFGH', '绑定 ABCD-EFGH', '/whoami', '我是谁', '/mydata', '/unbind'])(
    '%j is refused with a request to write privately, and nothing runs',
    async (typed) => {
      const chat = visitorChat();
      chat.ctx.actor = 'person';
      chat.ctx.chat = 'group';
      await chat.send('你好');
      const result = await chat.send(typed);
      expect(chat.keys).toEqual(['engine.private_only', 'flows.main_menu.prompt']);
      expect(result.runsStarted).toEqual([]);
      expect(chat.ctx.executed).toEqual([]);
      expect(chat.step).toBe('main_menu/menu');
    },
  );

  it('an unknown slash command is answered politely, in a flow or not', async () => {
    const chat = newChat();
    await chat.send('/frobnicate now');
    expect(chat.keys).toEqual(['engine.unknown_command', 'flows.main_menu.prompt']);
    await chat.send('/bind');
    await chat.send('/nope');
    expect(chat.keys).toEqual(['engine.unknown_command', 'flows.bind.ask_code']);
    expect(chat.step).toBe('bind/ask_code');
  });
});

describe('binding request', () => {
  it('with a request already waiting, the person is told so before any question', async () => {
    const chat = visitorChat({ identity_bind_status: () => ({ status: 'pending', number: 17 }) });
    await chat.send('你好');
    await chat.press('account');
    await chat.press('request');
    expect(chat.keys).toEqual(['flows.bind_request.pending_before', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toContain('您已经提交过绑定申请（编号17）');
    expect(chat.ctx.executed).toEqual([]);
  });

  it('asks name, address and a valid phone, then files the request and gives its number', async () => {
    const chat = visitorChat({ identity_request_binding: () => ({ status: 'created', number: 17 }) });
    await chat.send('你好');
    await chat.press('account');
    await chat.press('request');
    expect(chat.keys).toEqual(['flows.bind_request.intro', 'flows.bind_request.ask_name']);
    await chat.send('王 五');
    await chat.send('团结巷 3 号院 2 号');
    await chat.send('12345');
    expect(chat.keys).toEqual(['engine.reason.phone', 'flows.bind_request.ask_phone']);
    await chat.send('+86 138-0013-8000');
    expect(chat.keys).toEqual(['flows.bind_request.review']);
    expect(chat.texts[0]).toContain('13800138000');
    await chat.press('yes');
    expect(chat.ctx.executed.map((e) => e.call)).toEqual([
      { name: 'identity_request_binding', args: { name: '王 五', address: '团结巷 3 号院 2 号', phone: '13800138000' } },
    ]);
    expect(chat.keys).toEqual(['flows.bind_request.done', 'flows.main_menu.prompt']);
    expect(chat.texts[0]).toContain('编号17');
  });
});

describe('who am i, unbind, my data, remove me', () => {
  const me = () => ({ status: 'bound', name: '张三', address: '团结巷3号院', roles: '居民代表', platforms: '微信、Telegram', platform: '微信' });

  it('who am i lists name, address, roles and platforms', async () => {
    const chat = newChat('zh-CN', { identity_whoami: me });
    await chat.send('我是谁');
    expect(chat.keys).toEqual(['flows.whoami.bound', 'flows.main_menu.prompt']);
    for (const part of ['张三', '团结巷3号院', '居民代表', '微信、Telegram']) expect(chat.texts[0]).toContain(part);
  });

  it('who am i for a visitor says how to bind', async () => {
    const chat = visitorChat({ identity_whoami: () => ({ status: 'visitor', platform: '微信' }) });
    await chat.send('/whoami');
    expect(chat.keys).toEqual(['flows.whoami.visitor', 'flows.main_menu.prompt']);
  });

  it('unbind asks to confirm first; cancelling changes nothing', async () => {
    const chat = newChat('zh-CN', { identity_whoami: me, identity_unbind: () => ({ status: 'unbound' }) });
    await chat.send('解绑');
    expect(chat.keys).toEqual(['flows.unbind.confirm']);
    expect(chat.texts[0]).toContain('本微信账号与“张三”');
    await chat.press('cancel');
    expect(chat.ctx.executed.map((e) => e.call.name)).toEqual([]);
    await chat.send('/unbind');
    await chat.press('yes');
    expect(chat.ctx.executed.map((e) => e.call.name)).toEqual(['identity_unbind']);
    expect(chat.keys).toEqual(['flows.unbind.done', 'flows.main_menu.prompt']);
  });

  it('my data shows the text the effect made', async () => {
    const chat = newChat('zh-CN', { identity_my_data: () => ({ status: 'ok', text: '姓名：张三\n电话：138****8000' }) });
    await chat.send('/mydata');
    expect(chat.texts[0]).toBe('姓名：张三\n电话：138****8000');
  });

  it('remove me says what is kept, asks to confirm, then removes and ends', async () => {
    const chat = newChat('zh-CN', { identity_remove_me: () => ({ status: 'removed' }) });
    await chat.send('你好');
    await chat.press('account');
    await chat.press('remove_me');
    expect(chat.keys).toEqual(['flows.remove_me.explain', 'flows.remove_me.confirm']);
    expect(chat.texts[0]).toContain('工单会保留');
    await chat.send('确认');
    expect(chat.ctx.executed.map((e) => e.call.name)).toEqual(['identity_remove_me']);
    expect(chat.keys).toEqual(['flows.remove_me.done']);
    expect(chat.state).toBeNull();
  });
});
