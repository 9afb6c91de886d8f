/**
 * The pure parts of the Telegram adapter, on update shapes the fake does not produce by itself:
 * update types the bot never asks for, mentions after emoji (UTF-16 offsets), text mentions,
 * forum topics, and the webhook secret comparison.
 */
import { describe, expect, it } from 'vitest';
import type { TgMessage, TgUpdate } from '../../../src/channels/telegram/bot-api-shapes.js';
import { mapUpdate } from '../../../src/channels/telegram/inbound-update.js';
import { displayWidth, inlineKeyboard } from '../../../src/channels/telegram/inline-keyboard.js';
import { secretMatches } from '../../../src/channels/telegram/webhook-route.js';
import { findEntities } from '../../fakes/telegram-bot-api/user-actions.js';

const bot = { id: 777, username: 'linli_bot' };
const options = { bot, maxPhotoBytes: 1000, maxDocumentBytes: 5000, now: () => new Date(0) };
const alice = { id: 5, is_bot: false, language_code: 'en' };
const group = { id: -100123, type: 'supergroup' };

function groupText(text: string, extra: Partial<TgMessage> = {}): TgUpdate {
  return { update_id: 1, message: { message_id: 10, date: 0, chat: group, from: alice, text, entities: findEntities(text), ...extra } };
}

function handedText(update: TgUpdate): string | undefined {
  const mapped = mapUpdate(update, options);
  return mapped.action === 'hand' ? mapped.message.text : undefined;
}

describe('telegram update mapping', () => {
  it('ignores update types that are not a message or a button press', () => {
    const message = { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: alice, text: 'x' };
    for (const type of ['edited_message', 'channel_post', 'edited_channel_post', 'my_chat_member', 'message_reaction']) {
      expect(mapUpdate({ update_id: 1, [type]: message }, options)).toEqual({ action: 'ignore', reason: 'update-type' });
    }
    expect(mapUpdate({ update_id: 1, message: { ...message, chat: { id: -5, type: 'channel' } } }, options)).toEqual({
      action: 'ignore',
      reason: 'chat-type',
    });
  });

  it('finds the mention by UTF-16 offsets after emoji and CJK text, and cuts it out', () => {
    expect(handedText(groupText('👋🏽 你好 @linli_bot 电梯坏了'))).toBe('👋🏽 你好 电梯坏了');
    expect(handedText(groupText('@LINLI_BOT, help'))).toBe('help');
    expect(handedText(groupText('hi @linli_bot_fan'))).toBeUndefined();
    expect(handedText(groupText('@linli_bot'))).toBe('');
  });

  it('takes a text mention of the bot (a link to it without the @name)', () => {
    const update = groupText('Linli, where is the office?', {
      entities: [{ type: 'text_mention', offset: 0, length: 5, user: { id: bot.id, is_bot: true } }],
    });
    expect(handedText(update)).toBe('Linli, where is the office?');
  });

  it('does not count a forum topic message as a reply to the bot that opened the topic', () => {
    const topicStart: TgMessage = { message_id: 2, date: 0, chat: group, from: { id: bot.id, is_bot: true }, forum_topic_created: { name: 'Repairs' } };
    const inTopic = groupText('just chatting in the topic', { reply_to_message: topicStart, message_thread_id: 2, is_topic_message: true });
    expect(mapUpdate(inTopic, options)).toEqual({ action: 'ignore', reason: 'not-addressed' });
    const botSaid: TgMessage = { message_id: 3, date: 0, chat: group, from: { id: bot.id, is_bot: true }, text: 'Which floor?' };
    expect(handedText(groupText('5th', { reply_to_message: botSaid }))).toBe('5th');
  });

  it('ignores a command meant for another bot even if it also mentions this one', () => {
    expect(mapUpdate(groupText('/start@other_bot @linli_bot'), options)).toEqual({ action: 'ignore', reason: 'not-addressed' });
    expect(handedText(groupText('/report@linli_bot water leak'))).toBe('/report water leak');
  });

  it('ignores a button press without its message or data, and names the photo size to fetch', () => {
    expect(mapUpdate({ update_id: 1, callback_query: { id: 'q', from: alice, data: 'x' } }, options)).toEqual({
      action: 'ignore',
      reason: 'no-callback-message',
    });
    const photo = mapUpdate(
      {
        update_id: 2,
        message: {
          message_id: 1,
          chat: { id: 5, type: 'private' },
          from: alice,
          photo: [
            { file_id: 'small', file_size: 100, width: 90, height: 90 },
            { file_id: 'medium', file_size: 900, width: 320, height: 320 },
            { file_id: 'large', file_size: 5000, width: 1280, height: 1280 },
          ],
        },
      },
      options,
    );
    expect(photo).toMatchObject({ action: 'hand', photoFileId: 'medium', message: { kind: 'photo', externalId: '777:2' } });
  });
});

describe('telegram keyboard and webhook secret', () => {
  it('measures CJK and emoji as wide', () => {
    expect(displayWidth('Yes')).toBe(3);
    expect(displayWidth('报修')).toBe(4);
    expect(displayWidth('🚰')).toBe(2);
    // Seven CJK characters fill half a row; eight do not.
    expect(inlineKeyboard([{ label: '一二三四五六七', data: 'a' }, { label: 'b', data: 'b' }]).inline_keyboard).toHaveLength(1);
    expect(inlineKeyboard([{ label: '一二三四五六七八', data: 'a' }, { label: 'b', data: 'b' }]).inline_keyboard).toHaveLength(2);
    expect(inlineKeyboard([{ label: 'Only', data: 'a' }]).inline_keyboard).toEqual([[{ text: 'Only', callback_data: 'a' }]]);
  });

  it('compares the secret exactly', () => {
    expect(secretMatches('s3cret-value-0123', 's3cret-value-0123')).toBe(true);
    expect(secretMatches('s3cret-value-012', 's3cret-value-0123')).toBe(false);
    expect(secretMatches(['s3cret-value-0123'], 's3cret-value-0123')).toBe(false);
    expect(secretMatches(undefined, 's3cret-value-0123')).toBe(false);
    expect(secretMatches('', 's3cret-value-0123')).toBe(false);
  });
});
