/**
 * The flows in flows/ load cleanly against the locales, and behave as promised: the menu's
 * unbuilt entries say they are coming (and do nothing), language switches, help helps.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEngine } from '../../src/conversation/engine.js';
import { loadFlows, formatProblem } from '../../src/conversation/flow-loader.js';
import { KNOWN_EFFECTS } from '../../src/conversation/known-effects.js';
import { Chat, FakeContext, SERVICE_VARS } from './support/engine-harness.js';
import { ROOT, testTranslator } from './support/test-locales.js';

const translator = testTranslator();
const loaded = loadFlows(join(ROOT, 'flows'), { effects: KNOWN_EFFECTS, locales: translator });
const engine = createEngine(loaded.registry);

function newChat(locale = 'zh-CN'): Chat {
  return new Chat(engine, new FakeContext(translator, locale));
}

describe('flows/', () => {
  it('loads with no problems against every locale', () => {
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.registry.ids().sort()).toEqual(['help', 'language', 'main_menu']);
  });

  it('the first message shows the welcome and the menu', async () => {
    const chat = newChat();
    await chat.send('你好');
    expect(chat.keys).toEqual(['flows.main_menu.prompt']);
    expect(chat.offered).toEqual(['complaint', 'repair', 'my_tickets', 'notices', 'meetings', 'language', 'help']);
    expect(chat.texts[0]).toContain('邻里社区助手');
  });
});

describe('main menu entries not built yet', () => {
  it.each(['complaint', 'repair', 'my_tickets', 'notices', 'meetings'])(
    '%s says it is coming, runs no effect, and shows the menu again',
    async (entry) => {
      const chat = newChat();
      await chat.send('你好');
      const result = await chat.press(entry);
      expect(chat.keys).toEqual([`flows.main_menu.soon.${entry}`, 'flows.main_menu.prompt']);
      expect(chat.texts[0]).toContain('正在建设中');
      expect(chat.texts[0]).toContain(SERVICE_VARS.officePhone);
      expect(chat.ctx.executed).toEqual([]);
      expect(result.runsEnded).toEqual([{ runId: 'run-1', how: 'completed' }]);
      expect(chat.step).toBe('main_menu/menu');
    },
  );

  it.each([
    ['2', 'repair'],
    ['报修', 'repair'],
    ['我家水管坏了', 'repair'],
    ['我想提个建议', 'complaint'],
    ['通知', 'notices'],
  ])('typed %j opens %s', async (typed, entry) => {
    const chat = newChat();
    await chat.send('你好');
    await chat.send(typed);
    expect(chat.keys[0]).toBe(`flows.main_menu.soon.${entry}`);
  });

  it('in English too', async () => {
    const chat = newChat('en');
    await chat.send('hello');
    await chat.send('repair');
    expect(chat.texts[0]).toContain('still being built');
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
    for (const word of ['菜单', '取消', '返回', '帮助', SERVICE_VARS.officePhone]) expect(chat.texts[0]).toContain(word);
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
