/**
 * A person's private chat with the bot, as the end-to-end tests drive it: on Telegram (real
 * telegraf against the fake Bot API: typing, pressing the latest keyboard's buttons) and on WeChat
 * (real wechaty with the mock puppet: choices come as numbered lines, answered by their number),
 * each reading the bot's messages in order.
 */
import type { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeUser } from '../fakes/telegram-bot-api/world.js';
import { watch, type ContactMock, type SeenMessage } from '../channels/wechat/wechat-harness.js';
import { waitFor } from './wait-for.js';

export const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';

/** A person's private chat with the bot on Telegram: what they type and press, and what came back. */
export class TelegramChat {
  private read = 0;
  private lastKeyboard: SentMessage | undefined;

  constructor(
    private readonly telegram: FakeTelegramBotApi,
    readonly user: FakeUser,
  ) {}

  says(text: string, replies = 1): Promise<SentMessage[]> {
    this.telegram.userSays(this.user, this.user, text);
    return this.next(replies);
  }

  /** Presses the button of the latest keyboard labelled `label` (exactly, else containing it). */
  presses(label: string, replies = 1): Promise<SentMessage[]> {
    const { message, data } = this.button(label);
    this.telegram.userPresses(this.user, this.user, message.messageId, data);
    return this.next(replies);
  }

  /** The latest keyboard's button: its message and callback data. */
  button(label: string): { message: SentMessage; data: string } {
    const buttons = this.lastKeyboard?.keyboard?.flat() ?? [];
    const found = buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.includes(label));
    if (!found?.callback_data) throw new Error(`no button "${label}" in: ${buttons.map((b) => b.text).join(', ')}`);
    return { message: this.lastKeyboard!, data: found.callback_data };
  }

  /** Presses button data as given (someone else's, or forged); returns the callback query id. */
  pressesData(messageId: number, data: string): string {
    return this.telegram.userPresses(this.user, this.user, messageId, data);
  }

  /** The next `count` messages from the bot, in order. */
  async next(count = 1): Promise<SentMessage[]> {
    const messages = await waitFor(() => {
      const sent = this.telegram.sentTo(this.user);
      return sent.length >= this.read + count ? sent.slice(this.read, this.read + count) : undefined;
    }, `${count} message(s) to Telegram user ${this.user.id}`);
    this.read += count;
    const withKeyboard = [...messages].reverse().find((m) => m.keyboard);
    if (withKeyboard) this.lastKeyboard = withKeyboard;
    return messages;
  }

  /** Nothing arrived beyond what was read. */
  unread(): string[] {
    return this.telegram.sentTo(this.user).slice(this.read).map(textOf);
  }
}

/** A person's private chat with the bot on WeChat: choices come as numbered lines. */
export class WeChatChat {
  private read = 0;
  private lastMenu = '';
  private readonly seen: SeenMessage[];

  constructor(
    readonly contact: ContactMock,
    private readonly bot: ContactMock,
  ) {
    this.seen = watch(contact);
  }

  private fromBot(): string[] {
    return this.seen.filter((m) => m.payload.talkerId === this.bot.id).map((m) => m.payload.text ?? '');
  }

  says(text: string, replies = 1): Promise<string[]> {
    this.contact.say(text).to(this.bot);
    return this.next(replies);
  }

  /** The number of the latest numbered choice containing `label`. */
  numberOf(label: string): string {
    const line = this.lastMenu.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
    if (!line) throw new Error(`no numbered choice "${label}" in: ${this.lastMenu}`);
    return line.split('.')[0]!;
  }

  async next(count = 1): Promise<string[]> {
    const texts = await waitFor(() => {
      const all = this.fromBot();
      return all.length >= this.read + count ? all.slice(this.read, this.read + count) : undefined;
    }, `${count} WeChat message(s) to ${this.contact.id}`);
    this.read += count;
    const menu = [...texts].reverse().find((t) => /^\d+\. /m.test(t));
    if (menu) this.lastMenu = menu;
    return texts;
  }

  unread(): string[] {
    return this.fromBot().slice(this.read);
  }
}
