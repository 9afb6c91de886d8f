/**
 * The same conversation, unchanged, over every channel: the web chat, Telegram by long polling
 * and by webhook (real telegraf against the fake Bot API), and WeChat (real wechaty with the mock
 * puppet). A resident is greeted, switches to English, and gets polite answers to bad input;
 * no channel may drift from the others.
 */
import { freePort } from '../support/ports.js';
import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';

/** What a test needs from a channel: say something, pick a choice, and read what came back. */
interface Resident {
  say(text: string): Promise<void>;
  /** Presses the button (or, without buttons, types the number) of the choice labelled so. */
  choose(label: string): Promise<void>;
  sendSticker(): Promise<void>;
  /** Presses a button whose data was tampered with; undefined where there are no buttons. */
  pressForged?(): Promise<void>;
  /** Waits for the next `count` messages from the bot and returns their texts. */
  next(count?: number): Promise<string[]>;
}

interface ChannelSetup {
  name: string;
  start(): Promise<{ resident: Resident; close(): Promise<void> }>;
}


const target = databaseTargets()[0]!;
/** 10 messages a second per person, so a 50-message flood is slowed for a few seconds. */
const FLOOD = { FLOOD_MAX_MESSAGES: '10', FLOOD_WINDOW_SECONDS: '1' };

function webSetup(): ChannelSetup {
  return {
    name: 'web chat',
    async start() {
      const t = await startTestApp(target, FLOOD);
      const person = new WebPerson(t.app);
      let read = 0;
      let last: { text: string; choices?: { label: string; data: string }[] }[] = [];
      const resident: Resident = {
        say: async (text) => void (await person.say(text)),
        choose: async (label) => {
          const choice = last.at(-1)?.choices?.find((c) => c.label.includes(label));
          if (!choice) throw new Error(`no choice ${label}`);
          await person.press(choice.data);
        },
        sendSticker: async () => void (await person.send({ kind: 'unsupported', unsupportedType: 'sticker' })),
        pressForged: async () => {
          const data = last.at(-1)?.choices?.[0]?.data ?? '';
          await person.press(data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'));
        },
        next: async (count = 1) => {
          const all = await person.waitForMessages(read + count);
          last = all.slice(read, read + count);
          read += count;
          return last.map((m) => m.text);
        },
      };
      return { resident, close: () => t.close() };
    },
  };
}

function telegramSetup(mode: 'polling' | 'webhook'): ChannelSetup {
  return {
    name: `Telegram (${mode})`,
    async start() {
      const telegram = await FakeTelegramBotApi.start({ scale: 20 });
      const env: Record<string, string> = {
        ...FLOOD,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_MAX_PER_CHAT_PER_SECOND: '20',
        TELEGRAM_MAX_PER_SECOND: '600',
      };
      if (mode === 'webhook') {
        const port = await freePort();
        Object.assign(env, {
          PORT: String(port),
          TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
          TELEGRAM_WEBHOOK_SECRET: 'a-webhook-secret-for-tests',
        });
      }
      const t = await startTestApp(target, env, undefined, { serve: true });
      const alice = telegram.createUser({ language_code: 'zh-hans' });
      let seen = 0;
      let lastKeyboard: { messageId: number; buttons: { text: string; callback_data?: string }[] } | undefined;
      const resident: Resident = {
        say: async (text) => void telegram.userSays(alice, alice, text),
        choose: async (label) => {
          const button = lastKeyboard?.buttons.find((b) => b.text.includes(label));
          if (!button?.callback_data || !lastKeyboard) throw new Error(`no button ${label}`);
          telegram.userPresses(alice, alice, lastKeyboard.messageId, button.callback_data);
        },
        sendSticker: async () => void telegram.userSendsSticker(alice, alice),
        pressForged: async () => {
          const data = lastKeyboard?.buttons[0]?.callback_data ?? '';
          telegram.userPresses(alice, alice, lastKeyboard!.messageId, data.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA'));
        },
        next: async (count = 1) => {
          const messages = await waitFor(() => {
            const sent = telegram.sentTo(alice.id);
            return sent.length >= seen + count ? sent.slice(seen, seen + count) : undefined;
          }, `${count} Telegram message(s)`);
          seen += count;
          const withKeyboard = [...messages].reverse().find((m) => m.keyboard);
          if (withKeyboard) lastKeyboard = { messageId: withKeyboard.messageId, buttons: withKeyboard.keyboard!.flat() };
          return messages.map((m) => m.text ?? '');
        },
      };
      return {
        resident,
        async close() {
          await t.close();
          await telegram.close();
        },
      };
    },
  };
}

function weChatSetup(): ChannelSetup {
  return {
    name: 'WeChat',
    async start() {
      const mocker = new mock.Mocker();
      const puppet = new RecordingPuppetMock({ mocker });
      const t = await startTestApp(
        target,
        { ...FLOOD, WECHAT_MIN_SEND_INTERVAL_MS: '5', WECHAT_MAX_SEND_INTERVAL_MS: '10' },
        undefined,
        { serve: true, wechatPuppet: puppet },
      );
      const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
      mocker.login(bot);
      const resident = mocker.createContact({ name: '居民甲', avatar: '' });
      const seen: string[] = [];
      (resident as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string } }) => {
        if (message.payload.talkerId === bot.id) seen.push(message.payload.text ?? '');
      });
      let read = 0;
      let lastMenu = '';
      const wechat = t.app.channels.get('wechat') as WeChatChannel;
      await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');
      const person: Resident = {
        say: async (text) => void resident.say(text).to(bot),
        choose: async (label) => {
          // No buttons on WeChat: the choices are numbered lines, answered with the number.
          const line = lastMenu.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
          if (!line) throw new Error(`no numbered choice ${label}`);
          resident.say(line.split('.')[0]!).to(bot);
        },
        sendSticker: async () => {
          const id = `sticker-${Date.now()}`;
          mocker.MessageMock.create({ id, timestamp: Date.now(), type: 5, talkerId: resident.id, listenerId: bot.id } as never);
          mocker.puppet.emit('message', { messageId: id });
        },
        next: async (count = 1) => {
          const texts = await waitFor(() => (seen.length >= read + count ? seen.slice(read, read + count) : undefined), `${count} WeChat message(s)`);
          read += count;
          const menu = [...texts].reverse().find((t) => /^\d+\. /m.test(t));
          if (menu) lastMenu = menu;
          return texts;
        },
      };
      return { resident: person, close: () => t.close() };
    },
  };
}

describe.each([webSetup(), telegramSetup('polling'), telegramSetup('webhook'), weChatSetup()])('one conversation over $name', (setup) => {
  let resident: Resident;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ resident, close } = await setup.start());
  }, 60_000);
  afterAll(() => close?.());

  it('greets in Chinese with the menu', async () => {
    await resident.say('你好');
    const [menu] = await resident.next();
    expect(menu).toContain('请选择您要办理的事项');
  });

  it('switches to English from the menu and confirms in English', async () => {
    await resident.choose('Language');
    const [languages] = await resident.next();
    expect(languages).toContain('请选择语言 / Please choose a language');
    await resident.choose('English');
    const [done, menu] = await resident.next(2);
    expect(done).toBe('OK, I will talk to you in English from now on.');
    expect(menu).toContain('What would you like to do');
  });

  it('answers a sticker politely in the chosen language and asks again', async () => {
    await resident.sendSticker();
    const [reason, again] = await resident.next(2);
    expect(reason).toContain('I can only read text and photos');
    expect(again).toContain('What would you like to do');
  });

  it('answers 10,000 characters of text with the reason, not a crash', async () => {
    await resident.say('长'.repeat(10_000));
    const [reason] = await resident.next(2);
    expect(reason).toContain('too long');
  });

  it('answers emoji alone and control characters by asking again, offering a person after three misses', async () => {
    await resident.say('👍👍👍');
    const [first] = await resident.next(2);
    // The long text, the emoji and this are three wrong answers in a row (a sticker is not one).
    await resident.say('\u0007\u001b[2J');
    const [second, offer] = await resident.next(3);
    expect(offer).toContain('contact the community office');
    for (const reason of [first, second]) expect(reason).toContain('I could not tell which one you mean');
  });

  it('slows a flood of 50 messages in a second: told once, every one answered, none dropped', async () => {
    for (let i = 0; i < 50; i++) await resident.say('menu');
    const replies = await resident.next(51);
    expect(replies.filter((r) => r.includes('sending messages very quickly'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('What would you like to do'))).toHaveLength(50);
  });

  it('refuses tampered button data where there are buttons', async () => {
    if (!resident.pressForged) return;
    await resident.pressForged();
    const [refused] = await resident.next();
    expect(refused).toContain('no longer valid');
  });
});
