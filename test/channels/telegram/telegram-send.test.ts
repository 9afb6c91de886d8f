/**
 * Sending through the Telegram channel: text, inline keyboards, photos with captions, and how
 * every kind of failure reaches the delivery worker (ChannelSendError's retryable/retryAfterMs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storePhoto } from '../../../src/channels/media/photo-files.js';
import { storeDocument } from '../../../src/channels/media/document-files.js';
import { samplePdf } from '../../support/documents.js';
import { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { ChannelSendError, type OutboundMessage } from '../../../src/channels/types.js';
import { createLogger } from '../../../src/log/logger.js';
import { fakeJpeg, type FakeUser } from '../../fakes/telegram-bot-api/index.js';
import { startTelegram, type TelegramHarness } from './telegram-harness.js';

let h: TelegramHarness;
let photoRef: string;

beforeAll(async () => {
  // Sending needs no start(): a worker-only process sends without receiving.
  h = await startTelegram({ start: false, channel: { sendTimeoutMs: 500 } });
  photoRef = await storePhoto(h.dataDir, fakeJpeg(5000), 'image/jpeg');
});
afterAll(() => h.close());

async function sendError(chatId: string, message: OutboundMessage, channel: TelegramChannel = h.channel): Promise<unknown> {
  return channel.send(chatId, message).then(
    () => undefined,
    (error: unknown) => error,
  );
}

function person(): FakeUser {
  return h.telegram.createUser();
}

describe('telegram sending', () => {
  it('sends text and returns the Telegram message id', async () => {
    const alice = person();
    const result = await h.channel.send(String(alice.id), { text: '你好，邻居' });
    const [sent] = h.telegram.sentTo(alice);
    expect(sent).toMatchObject({ method: 'sendMessage', text: '你好，邻居' });
    expect(sent!.keyboard).toBeUndefined();
    expect(result.externalMessageId).toBe(String(sent!.messageId));
  });

  it('lays choices out as buttons: two short ones a row, long ones one a row', async () => {
    const alice = person();
    await h.channel.send(String(alice.id), {
      text: 'Pick one',
      choices: [
        { label: 'Yes', data: 'd1' },
        { label: 'No', data: 'd2' },
        { label: '报修', data: 'd3' },
      ],
    });
    await h.channel.send(String(alice.id), {
      text: 'Pick another',
      choices: [
        { label: 'Report a repair in my flat', data: 'e1' },
        { label: 'No', data: 'e2' },
      ],
    });
    const [short, long] = h.telegram.sentTo(alice);
    expect(short!.keyboard).toEqual([
      [
        { text: 'Yes', callback_data: 'd1' },
        { text: 'No', callback_data: 'd2' },
      ],
      [{ text: '报修', callback_data: 'd3' }],
    ]);
    expect(long!.keyboard).toEqual([[{ text: 'Report a repair in my flat', callback_data: 'e1' }], [{ text: 'No', callback_data: 'e2' }]]);
  });

  it('sends a photo with the text as its caption and the buttons under it', async () => {
    const alice = person();
    const result = await h.channel.send(String(alice.id), { text: 'The notice', photo: { ref: photoRef }, choices: [{ label: 'OK', data: 'ok' }] });
    const sent = h.telegram.sentTo(alice);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'sendPhoto', caption: 'The notice', photo: { bytes: 5000 }, keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
    expect(result.externalMessageId).toBe(String(sent[0]!.messageId));
  });

  it('sends a text too long for a caption after the photo, with the buttons', async () => {
    const alice = person();
    const text = '长'.repeat(1025);
    const result = await h.channel.send(String(alice.id), { text, photo: { ref: photoRef }, choices: [{ label: 'OK', data: 'ok' }] });
    const [photo, message] = h.telegram.sentTo(alice);
    expect(photo).toMatchObject({ method: 'sendPhoto' });
    expect(photo!.caption).toBeUndefined();
    expect(photo!.keyboard).toBeUndefined();
    expect(message).toMatchObject({ method: 'sendMessage', text, keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
    expect(result.externalMessageId).toBe(String(message!.messageId));
  });

  it('uploads a document under its name with the text as its caption and the buttons under it', async () => {
    const alice = person();
    const pdf = samplePdf();
    const ref = await storeDocument(h.dataDir, pdf, 'application/pdf');
    const result = await h.channel.send(String(alice.id), { text: '停水通知', document: { ref, name: '停水通知.pdf' }, choices: [{ label: '收到', data: 'ok' }] });
    const sent = h.telegram.sentTo(alice);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'sendDocument', caption: '停水通知', document: { name: '停水通知.pdf', bytes: pdf.length }, keyboard: [[{ text: '收到', callback_data: 'ok' }]] });
    expect(sent[0]!.document!.content).toEqual(pdf);
    expect(result.externalMessageId).toBe(String(sent[0]!.messageId));
  });

  it('sends a photo and a document: the photo, then the document carrying the text', async () => {
    const alice = person();
    const ref = await storeDocument(h.dataDir, samplePdf(), 'application/pdf');
    await h.channel.send(String(alice.id), { text: '公告', photo: { ref: photoRef }, document: { ref, name: 'a.pdf' } });
    const sent = h.telegram.sentTo(alice);
    expect(sent.map((m) => [m.method, m.caption])).toEqual([
      ['sendPhoto', undefined],
      ['sendDocument', '公告'],
    ]);
  });

  it('a document Telegram refuses as too large is rejected (the person stays reachable); a file that is not ours is our fault', async () => {
    const small = await startTelegram({ start: false, fake: { maxUploadBytes: 1000 } });
    try {
      const alice = small.telegram.createUser();
      const ref = await storeDocument(small.dataDir, samplePdf('x'.repeat(2000)), 'application/pdf');
      const error = await sendError(String(alice.id), { text: 'big', document: { ref, name: 'big.pdf' } }, small.channel);
      expect(error).toBeInstanceOf(ChannelSendError);
      expect(error).toMatchObject({ retryable: false, kind: 'rejected' });
      const missing = await sendError(String(alice.id), { text: 'x', document: { ref: 'files/0123456789abcdef0123456789abcdef.pdf', name: 'x.pdf' } }, small.channel);
      expect(missing).toBeInstanceOf(Error);
      expect(missing).not.toBeInstanceOf(ChannelSendError);
      expect(small.telegram.sentTo(alice)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('does not blame the recipient for a photo reference that is not ours', async () => {
    const alice = person();
    for (const ref of ['../../etc/passwd', 'uploads/0123456789abcdef0123456789abcdef.jpg']) {
      const error = await sendError(String(alice.id), { text: 'x', photo: { ref } });
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ChannelSendError);
    }
    expect(h.telegram.sentTo(alice)).toEqual([]);
  });
});

describe('telegram send failures', () => {
  it('429: retryable, after retry_after seconds', async () => {
    const alice = person();
    h.telegram.rateLimitNext(7, alice.id);
    const error = await sendError(String(alice.id), { text: 'hi' });
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect((error as Error).message).toContain('429');
  });

  it('429 from the enforced per-chat limit carries its retry_after too', async () => {
    const limited = await startTelegram({ start: false, fake: { rateLimits: {} } });
    try {
      const alice = limited.telegram.createUser();
      await limited.channel.send(String(alice.id), { text: 'one' });
      const error = await sendError(String(alice.id), { text: 'two' }, limited.channel);
      expect(error).toMatchObject({ retryable: true, retryAfterMs: 1000 });
      expect(limited.telegram.stats.rateLimited).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('403 (bot blocked): permanent, the recipient unreachable', async () => {
    const alice = person();
    h.telegram.blockChat(alice.id);
    const error = await sendError(String(alice.id), { text: 'hi' });
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: false, kind: 'unreachable' });
    expect((error as Error).message).toContain('403');
  });

  it('400 chat not found: permanent, the recipient unreachable', async () => {
    const alice = person();
    h.telegram.forgetChat(alice.id);
    const error = await sendError(String(alice.id), { text: 'hi' });
    expect(error).toMatchObject({ retryable: false, kind: 'unreachable' });
    expect((error as Error).message).toContain('chat not found');
  });

  it('other 400s (a fault in the message, e.g. button data over 64 bytes): rejected, not retried, the person stays reachable', async () => {
    const alice = person();
    const error = await sendError(String(alice.id), { text: 'pick', choices: [{ label: 'Go', data: 'x'.repeat(65) }] });
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: false, kind: 'rejected' });
    expect((error as ChannelSendError).retryAfterMs).toBeUndefined();
    expect((error as Error).message).toContain('BUTTON_DATA_INVALID');
    expect(h.telegram.sentTo(alice)).toEqual([]);
  });

  it('400 message is too long: rejected, the person stays reachable', async () => {
    const alice = person();
    const error = await sendError(String(alice.id), { text: '长'.repeat(4097) });
    expect(error).toMatchObject({ retryable: false, kind: 'rejected' });
    expect((error as Error).message).toContain('message is too long');
    // Exactly at the limit it goes.
    await expect(h.channel.send(String(alice.id), { text: '长'.repeat(4096) })).resolves.toBeDefined();
  });

  it('400 bad request injected for one chat: rejected; other 4xx that are our own setup (401) stay retryable', async () => {
    const alice = person();
    h.telegram.inject({ methods: ['sendMessage'], chatId: alice.id, action: { type: 'error', errorCode: 400, description: 'Bad Request: can\'t parse entities' } });
    expect(await sendError(String(alice.id), { text: 'hi' })).toMatchObject({ retryable: false, kind: 'rejected' });
    h.telegram.inject({ methods: ['sendMessage'], chatId: alice.id, action: { type: 'error', errorCode: 401, description: 'Unauthorized' } });
    expect(await sendError(String(alice.id), { text: 'hi' })).toMatchObject({ retryable: true, kind: 'retryable' });
  });

  it('500: retryable', async () => {
    const alice = person();
    h.telegram.failNext('sendMessage', 500);
    const error = await sendError(String(alice.id), { text: 'hi' });
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as ChannelSendError).retryAfterMs).toBeUndefined();
    await expect(h.channel.send(String(alice.id), { text: 'hi' })).resolves.toBeDefined();
  });

  it('no answer in time: retryable', async () => {
    const alice = person();
    // The fake never answers: the send ends only because the channel gave up waiting.
    h.telegram.hangNext('sendPhoto');
    const error = await sendError(String(alice.id), { text: 'hi', photo: { ref: photoRef } });
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/no answer within 500 ms/);
  });

  it('network failure (no server): retryable, and the message holds no token', async () => {
    const nowhere = new TelegramChannel({
      token: h.telegram.token,
      apiRoot: 'http://127.0.0.1:9',
      dataDir: h.dataDir,
      maxPhotoBytes: 1000,
      logger: createLogger('silent'),
    });
    const error = await sendError('42', { text: 'hi' }, nowhere);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).not.toContain(h.telegram.token.split(':')[1]!);
  });

  it('declares pacing per bot: 30/s overall, 1/s per person, 20/min per group', () => {
    const pacing = h.channel.pacing;
    expect(pacing.account).toBe(`telegram:${h.telegram.bot.id}`);
    expect(pacing.perAccount).toEqual({ max: 30, perMs: 1000 });
    expect(pacing.perChat?.('12345')).toEqual({ max: 1, perMs: 1000 });
    expect(pacing.perChat?.('-1001234567890')).toEqual({ max: 20, perMs: 60_000 });
  });
});

describe('telegram groups that became supergroups', () => {
  it('follows a group to its supergroup: the send goes to the new id, and later sends go there at once', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    const callsBefore = h.telegram.calls('sendMessage');

    const first = await h.channel.send(String(group.id), { text: '通知一' });
    expect(h.telegram.sentTo(supergroup)).toMatchObject([{ method: 'sendMessage', text: '通知一' }]);
    expect(first.externalMessageId).toBe(String(h.telegram.sentTo(supergroup)[0]!.messageId));
    // One refused call to the old id, then the one to the new.
    expect(h.telegram.calls('sendMessage') - callsBefore).toBe(2);

    await h.channel.send(String(group.id), { text: '通知二' });
    expect(h.telegram.sentTo(supergroup).map((m) => m.text)).toEqual(['通知一', '通知二']);
    expect(h.telegram.calls('sendMessage') - callsBefore).toBe(3);
    expect(h.telegram.sentTo(group)).toEqual([]);
  });

  it('a photo with a long text: both parts reach the supergroup', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    await h.channel.send(String(group.id), { text: '长'.repeat(1100), photo: { ref: photoRef } });
    expect(h.telegram.sentTo(supergroup).map((m) => m.method)).toEqual(['sendPhoto', 'sendMessage']);
  });

  it('tries the new id once: a refusal there is mapped as usual', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    h.telegram.blockChat(supergroup.id);
    const callsBefore = h.telegram.calls('sendMessage');
    const error = await sendError(String(group.id), { text: 'hi' });
    expect(error).toMatchObject({ retryable: false, kind: 'unreachable' });
    expect(h.telegram.calls('sendMessage') - callsBefore).toBe(2);
  });

  it('a chat that moved again on the retry: retryable, recorded, and the next attempt goes to the newest id', async () => {
    const group = h.telegram.createGroup({ type: 'group' });
    const supergroup = h.telegram.upgradeGroup(group, { announce: false });
    const elsewhere = h.telegram.createGroup({ type: 'supergroup' });
    h.telegram.inject({
      methods: ['sendMessage'],
      chatId: supergroup.id,
      action: { type: 'error', errorCode: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', migrateToChatId: elsewhere.id },
    });
    const callsBefore = h.telegram.calls('sendMessage');
    const error = await sendError(String(group.id), { text: 'hi' });
    expect(error).toMatchObject({ retryable: true, kind: 'retryable' });
    // Two calls, no third: the send is tried to the new id once.
    expect(h.telegram.calls('sendMessage') - callsBefore).toBe(2);
    await h.channel.send(String(group.id), { text: 'again' });
    expect(h.telegram.sentTo(elsewhere).map((m) => m.text)).toEqual(['again']);
    expect(h.telegram.sentTo(supergroup)).toEqual([]);
  });
});
