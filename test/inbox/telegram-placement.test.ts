/**
 * What the staff inbox needs from a Telegram update: in the staff chat every message counts
 * (not only those addressed to the bot); a forum topic's id (only for real topic messages); the
 * message replied to (not a forum topic's opening message); and a button press keeps its topic.
 */
import { describe, expect, it } from 'vitest';
import type { TgMessage, TgUpdate } from '../../src/channels/telegram/bot-api-shapes.js';
import { mapUpdate } from '../../src/channels/telegram/inbound-update.js';

const bot = { id: 777, username: 'linli_bot' };
const staff = { id: 5, is_bot: false };
const plain = { id: -100123, type: 'supergroup' };
const forum = { id: -100456, type: 'supergroup', is_forum: true };
const options = { bot, maxPhotoBytes: 1000, maxDocumentBytes: 5000, now: () => new Date(0), hearsAllIn: (chatId: string) => chatId === String(plain.id) || chatId === String(forum.id) };

function said(chat: TgMessage['chat'], text: string, extra: Partial<TgMessage> = {}): TgUpdate {
  return { update_id: 1, message: { message_id: 10, date: 0, chat, from: staff, text, ...extra } };
}

const handed = (update: TgUpdate, opts: Parameters<typeof mapUpdate>[1] = options) => {
  const mapped = mapUpdate(update, opts);
  return mapped.action === 'hand' ? mapped.message : undefined;
};

describe('telegram placement for the staff inbox', () => {
  it('hands on every message in a staff chat, and still only addressed ones elsewhere', () => {
    expect(handed(said(plain, '大家好'))?.text).toBe('大家好');
    expect(mapUpdate(said({ id: -100999, type: 'supergroup' }, '大家好'), options)).toEqual({ action: 'ignore', reason: 'not-addressed' });
    const { hearsAllIn: _unused, ...withoutStaff } = options;
    expect(mapUpdate(said(plain, '大家好'), withoutStaff)).toEqual({ action: 'ignore', reason: 'not-addressed' });
  });

  it('reads a reply’s target, and no thread outside forums', () => {
    const card = { message_id: 3, date: 0, chat: plain, from: { id: bot.id, is_bot: true }, text: 'card' };
    const message = handed(said(plain, '明天修', { reply_to_message: card, message_thread_id: 3 }));
    expect(message).toMatchObject({ replyToMessageId: '3', chatType: 'group' });
    expect(message?.threadId).toBeUndefined();
    expect(message?.forum).toBeUndefined();
  });

  it('reads a forum topic only for topic messages, and the topic’s opening message is no reply', () => {
    const opening = { message_id: 40, date: 0, chat: forum, from: { id: bot.id, is_bot: true }, forum_topic_created: { name: 'MQ' } };
    const inTopic = handed(said(forum, '师傅下午到', { message_thread_id: 40, is_topic_message: true, reply_to_message: opening }));
    expect(inTopic).toMatchObject({ threadId: '40', forum: true });
    expect(inTopic?.replyToMessageId).toBeUndefined();
    const general = handed(said(forum, '大家好', { message_thread_id: 12 }));
    expect(general).toMatchObject({ forum: true });
    expect(general?.threadId).toBeUndefined();
  });

  it('keeps a button press’s topic, but not what its message replied to', () => {
    const cardMessage = {
      message_id: 41,
      date: 0,
      chat: forum,
      from: { id: bot.id, is_bot: true },
      text: 'card',
      message_thread_id: 40,
      is_topic_message: true,
      reply_to_message: { message_id: 40, date: 0, chat: forum },
    };
    const press = handed({ update_id: 2, callback_query: { id: 'q', from: staff, message: cardMessage, data: 'i|c|x|y' } });
    expect(press).toMatchObject({ kind: 'choice', threadId: '40', forum: true });
    expect(press?.replyToMessageId).toBeUndefined();
  });
});
