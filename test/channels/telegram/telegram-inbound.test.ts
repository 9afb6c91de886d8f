/**
 * What the Telegram channel hands on, for every kind of update, received both ways (long
 * polling and webhook) by real telegraf from the fake Bot API.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/channels/types.js';
import { fakeJpeg, notAnImage, type ChatRef, type FakeUser } from '../../fakes/telegram-bot-api/index.js';
import { waitFor } from '../../support/wait-for.js';
import { renamedProgram, samplePdf } from '../../support/documents.js';
import { startTelegram, type ReceiveMode, type TelegramHarness } from './telegram-harness.js';

const MAX_PHOTO_BYTES = 100_000;

describe.each<ReceiveMode>(['polling', 'webhook'])('telegram inbound (%s)', (mode) => {
  let h: TelegramHarness;
  /** A test sets this to slow the handler down for some messages. */
  let delayFor: ((message: InboundMessage) => number) | undefined;
  let failFor: ((message: InboundMessage) => boolean) | undefined;
  const finished: InboundMessage[] = [];

  beforeAll(async () => {
    h = await startTelegram({
      mode,
      channel: { maxPhotoBytes: MAX_PHOTO_BYTES, ackBudgetMs: 300 },
      handler: async (message) => {
        const delay = delayFor?.(message) ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        finished.push(message);
        if (failFor?.(message)) throw new Error('handler failed');
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.received.length = 0;
    finished.length = 0;
    delayFor = undefined;
    failFor = undefined;
  });

  /**
   * Sends what `act` sends, then a marker text in the same chat (one chat's messages are handed
   * on in order), and returns what came before the marker.
   */
  async function handedBefore(chat: ChatRef, from: FakeUser, act: () => void, marker = 'marker'): Promise<InboundMessage[]> {
    act();
    h.telegram.userSays(chat, from, marker);
    await expect.poll(() => h.received.some((m) => m.text === 'marker'), { timeout: 5000 }).toBe(true);
    return h.received.filter((m) => m.text !== 'marker');
  }

  it('hands on text from a private chat with ids, external id and language hint', async () => {
    const alice = h.telegram.createUser({ language_code: 'en' });
    const sent = h.telegram.userSays(alice, alice, 'Hello there');
    const [message] = await h.waitForReceived(1);
    expect(message).toMatchObject({
      channel: 'telegram',
      senderId: String(alice.id),
      chatId: String(alice.id),
      kind: 'text',
      text: 'Hello there',
      languageHint: 'en',
    });
    expect(message!.chatType).toBeUndefined();
    expect(message!.externalId).toMatch(new RegExp(`^${h.telegram.bot.id}:\\d+$`));
    expect(message!.receivedAt).toBeInstanceOf(Date);
    expect(sent.message_id).toBeGreaterThan(0);
  });

  it('hands on a button press as a choice and answers the callback before the handler is done', async () => {
    const alice = h.telegram.createUser({ language_code: 'zh-hans' });
    delayFor = (m) => (m.kind === 'choice' ? 800 : 0);
    const id = h.telegram.userPresses(alice, alice, 1, 'signed.choice.data');
    await h.waitForReceived(1);
    expect(h.received[0]).toMatchObject({ kind: 'choice', choiceData: 'signed.choice.data', senderId: String(alice.id), languageHint: 'zh-hans' });
    await expect.poll(() => h.telegram.callback(id)?.answered, { timeout: 1000 }).toBeDefined();
    expect(finished).toHaveLength(0);
    await expect.poll(() => finished.length, { timeout: 3000 }).toBe(1);
  });

  it('downloads a photo (the largest size within the limit), stores it and keeps the caption', async () => {
    const alice = h.telegram.createUser();
    const sizes = [fakeJpeg(1000), fakeJpeg(50_000), fakeJpeg(MAX_PHOTO_BYTES + 1)];
    h.telegram.userSendsPhoto(alice, alice, { sizes, caption: 'the leak' });
    const [message] = await h.waitForReceived(1);
    expect(message).toMatchObject({ kind: 'photo', text: 'the leak', photo: { mime: 'image/jpeg', bytes: 50_000 } });
    expect(message!.photo!.ref).toMatch(/^uploads\/[a-f0-9]{32}\.jpg$/);
    const stored = await readFile(join(h.dataDir, message!.photo!.ref));
    expect(stored.equals(sizes[1]!)).toBe(true);
  });

  it('hands photos it cannot take on as refused, saying why', async () => {
    const alice = h.telegram.createUser();
    const before = await handedBefore(alice, alice, () => {
      h.telegram.userSendsPhoto(alice, alice, { sizes: [fakeJpeg(MAX_PHOTO_BYTES + 1)] });
      // No file_size given: the download itself stops at the limit.
      h.telegram.userSendsPhoto(alice, alice, { sizes: [fakeJpeg(MAX_PHOTO_BYTES + 10)], omitFileSize: true });
      h.telegram.userSendsPhoto(alice, alice, { sizes: [notAnImage()] });
    });
    expect(before.map((m) => [m.kind, m.photoRefused])).toEqual([
      ['photo_refused', { reason: 'too_large', maxBytes: MAX_PHOTO_BYTES }],
      ['photo_refused', { reason: 'too_large', maxBytes: MAX_PHOTO_BYTES }],
      ['photo_refused', { reason: 'not_an_image', maxBytes: MAX_PHOTO_BYTES }],
    ]);
  });

  it('hands on locations, with a venue title as the label', async () => {
    const alice = h.telegram.createUser();
    h.telegram.userSendsLocation(alice, alice, 31.2304, 121.4737);
    h.telegram.userSendsLocation(alice, alice, 31.2, 121.5, { title: 'Building 3', address: 'Lane 88' });
    const [plain, venue] = await h.waitForReceived(2);
    expect(plain).toMatchObject({ kind: 'location', location: { latitude: 31.2304, longitude: 121.4737 } });
    expect(plain!.location!.label).toBeUndefined();
    expect(venue).toMatchObject({ kind: 'location', location: { latitude: 31.2, longitude: 121.5, label: 'Building 3' } });
  });

  it('marks stickers, voice, video, video notes, audio and animations unsupported', async () => {
    const alice = h.telegram.createUser();
    const kinds = ['sticker', 'voice', 'video', 'video_note', 'audio', 'animation'] as const;
    const before = await handedBefore(alice, alice, () => {
      for (const kind of kinds) h.telegram.userSendsMedia(alice, alice, kind);
    });
    expect(before.map((m) => [m.kind, m.unsupportedType])).toEqual(kinds.map((k) => ['unsupported', k]));
  });

  it('takes a document in by its bytes, under its name with its caption; refuses one that is not PDF, Word, Excel or a photo', async () => {
    const alice = h.telegram.createUser();
    const pdf = samplePdf();
    const before = await handedBefore(alice, alice, () => {
      h.telegram.userSendsDocument(alice, alice, { bytes: pdf, name: '停水通知.pdf', mime: 'application/pdf', caption: '/notice all 停水' });
      h.telegram.userSendsDocument(alice, alice, { bytes: renamedProgram(), name: 'form.pdf', mime: 'application/pdf' });
    });
    expect(before.map((m) => m.kind)).toEqual(['document', 'document_refused']);
    const [taken, refusedFile] = before;
    expect(taken!.text).toBe('/notice all 停水');
    expect(taken!.document).toMatchObject({ name: '停水通知.pdf', mime: 'application/pdf', bytes: pdf.length });
    expect(await readFile(join(h.dataDir, taken!.document!.ref))).toEqual(pdf);
    expect(refusedFile!.documentRefused).toMatchObject({ reason: 'not_allowed' });
  });

  it('ignores edited messages, service messages and messages from bots', async () => {
    const alice = h.telegram.createUser();
    const group = h.telegram.createGroup();
    const original = h.telegram.userSays(alice, alice, 'first');
    await h.waitForReceived(1);
    h.received.length = 0;
    const otherBot = h.telegram.createUser({ username: 'other_bot' });
    const before = await handedBefore(alice, alice, () => {
      h.telegram.userEdits(alice, alice, original.message_id, 'first, edited');
      h.telegram.userJoins(group, alice);
      h.telegram.pushUpdate({ message: { message_id: 99, date: 0, chat: { id: alice.id, type: 'private' }, from: h.telegram.bot, text: 'my own' } });
      h.telegram.pushUpdate({ message: { message_id: 98, date: 0, chat: { id: alice.id, type: 'private' }, from: { ...otherBot, is_bot: true }, text: 'beep' } });
    });
    expect(before).toEqual([]);
  });

  it('in a group takes only commands, mentions and replies to the bot, without the mention', async () => {
    const alice = h.telegram.createUser();
    const group = h.telegram.createGroup({ title: 'Building 3' });
    const botName = h.telegram.bot.username!;
    const botMessage = await h.channel.send(String(group.id), { text: 'Which floor?' });
    const before = await handedBefore(group, alice, () => {
      h.telegram.userSays(group, alice, 'just chatting');
      h.telegram.userSendsMedia(group, alice, 'sticker');
      h.telegram.userSendsPhoto(group, alice, { caption: 'not for the bot' });
      h.telegram.userSays(group, alice, '/help@some_other_bot');
      h.telegram.userSays(group, alice, `@${botName} the lift is broken`);
      h.telegram.userSays(group, alice, `/help@${botName}`);
      h.telegram.userSays(group, alice, '/menu');
      h.telegram.userSays(group, alice, '5th', { replyTo: Number(botMessage.externalMessageId) });
      h.telegram.userSendsPhoto(group, alice, { caption: `@${botName} look` });
    }, `@${botName} marker`);
    expect(before.map((m) => [m.kind, m.text])).toEqual([
      ['text', 'the lift is broken'],
      ['text', '/help'],
      ['text', '/menu'],
      ['text', '5th'],
      ['photo', 'look'],
    ]);
    expect(before.every((m) => m.chatType === 'group' && m.chatId === String(group.id) && m.senderId === String(alice.id))).toBe(true);
  });

  it('takes button presses in a group', async () => {
    const alice = h.telegram.createUser();
    const group = h.telegram.createGroup();
    h.telegram.userPresses(group, alice, 1, 'group.choice');
    const [message] = await h.waitForReceived(1);
    expect(message).toMatchObject({ kind: 'choice', chatType: 'group', chatId: String(group.id), senderId: String(alice.id) });
  });

  it('hands a duplicated update on twice with the same external id (the router drops the repeat)', async () => {
    const alice = h.telegram.createUser();
    h.telegram.duplicateNextUpdate();
    h.telegram.userSays(alice, alice, 'once, really');
    const [first, second] = await h.waitForReceived(2);
    expect(second!.externalId).toBe(first!.externalId);
    expect(second!.text).toBe('once, really');
  });

  it("keeps one chat's order (a photo being fetched is not overtaken) while a slow chat does not hold up others", async () => {
    const alice = h.telegram.createUser();
    const bob = h.telegram.createUser();
    delayFor = (m) => (m.senderId === String(bob.id) ? 1500 : 0);
    h.telegram.userSays(bob, bob, 'slow one');
    await h.waitForReceived(1);
    h.telegram.userSendsPhoto(alice, alice);
    h.telegram.userSays(alice, alice, 'after the photo');
    await expect.poll(() => finished.filter((m) => m.senderId === String(alice.id)).length, { timeout: 2000 }).toBe(2);
    expect(finished.filter((m) => m.senderId === String(alice.id)).map((m) => m.kind)).toEqual(['photo', 'text']);
    // Bob's message is still being handled.
    expect(finished.some((m) => m.senderId === String(bob.id))).toBe(false);
    await expect.poll(() => finished.some((m) => m.senderId === String(bob.id)), { timeout: 4000 }).toBe(true);
  });

  it('goes on receiving after the handler fails', async () => {
    const alice = h.telegram.createUser();
    failFor = (m) => m.text === 'boom';
    h.telegram.userSays(alice, alice, 'boom');
    h.telegram.userSays(alice, alice, 'still here');
    const messages = await h.waitForReceived(2);
    expect(messages.map((m) => m.text)).toEqual(['boom', 'still here']);
    await waitFor(() => h.telegram.pendingUpdates === 0, 'both updates confirmed');
  });
});
