/**
 * The WeChat channel sending through a real wechaty to the mock WeChat: texts and photos to
 * people and rooms, and failures classified the way the delivery worker acts on them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { storePhoto } from '../../../src/channels/media/photo-files.js';
import { storeDocument } from '../../../src/channels/media/document-files.js';
import { samplePdf } from '../../support/documents.js';
import { ChannelSendError } from '../../../src/channels/types.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';
import { createResident, createRoom, startWeChat, watch, type ContactMock, type RoomMock, type WeChatHarness } from './wechat-harness.js';
import { waitFor } from '../../support/wait-for.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let network: NetworkGuard;
beforeAll(() => {
  network = guardNetwork();
});
afterAll(() => network.restore());

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelSendError);
  return error as ChannelSendError;
}

describe('WeChat sending', () => {
  let wx: WeChatHarness;
  let resident: ContactMock;
  let room: RoomMock;

  beforeEach(async () => {
    wx = await startWeChat();
    resident = createResident(wx.mocker, '王大爷');
    room = createRoom(wx.mocker, '5号楼', [wx.botUser, resident]);
    await wx.start();
    await wx.login();
  });
  afterEach(() => wx.close());

  const fromBot = (seen: ReturnType<typeof watch>) => seen.filter((m) => m.payload.talkerId === wx.botUser.id);

  it('sends text to a person, numbered choices as plain lines', async () => {
    const seen = watch(resident);
    const text = '请问要办什么事？\n\n1. 报修\n2. 投诉建议\n\n请回复数字1–2选择，也可以直接回复选项文字。';
    const result = await wx.channel.send(resident.id, { text });
    await waitFor(() => fromBot(seen).length === 1, 'the resident to get the text');
    expect(fromBot(seen)[0]!.payload).toMatchObject({ type: types.Message.Text, text, listenerId: resident.id });
    // PuppetMock, like wechat4u, reports no id for a sent message.
    expect(result).toEqual({ externalMessageId: '' });
  });

  it('returns the sent message’s id when the puppet reports one', async () => {
    wx.puppet.reportSentIds = true;
    const seen = watch(resident);
    const result = await wx.channel.send(resident.id, { text: '收到' });
    await waitFor(() => fromBot(seen).length === 1, 'the text');
    expect(result.externalMessageId).toBe(fromBot(seen)[0]!.id);
  });

  it('sends text to a room by its id', async () => {
    const seen = watch(room);
    await wx.channel.send(room.id, { text: '本周六上午停水' });
    await waitFor(() => fromBot(seen).length === 1, 'the room to get the text');
    expect(fromBot(seen)[0]!.payload).toMatchObject({ type: types.Message.Text, text: '本周六上午停水', roomId: room.id });
  });

  it('sends a stored photo, then its text', async () => {
    const ref = await storePhoto(wx.dataDir, PNG, 'image/png');
    const seen = watch(resident);
    await wx.channel.send(resident.id, { text: '维修前的照片', photo: { ref } });
    await waitFor(() => fromBot(seen).length === 2, 'the photo and the text');
    const [photo, caption] = fromBot(seen);
    expect(photo!.payload.type).toBe(types.Message.Image);
    const file = await wx.puppet.messageFile(photo!.id);
    expect(await file.toBuffer()).toEqual(PNG);
    expect(caption!.payload).toMatchObject({ type: types.Message.Text, text: '维修前的照片' });
  });

  it('sends a stored document as a file under its name, then its text', async () => {
    const pdf = samplePdf();
    const ref = await storeDocument(wx.dataDir, pdf, 'application/pdf');
    const seen = watch(resident);
    await wx.channel.send(resident.id, { text: '停水通知', document: { ref, name: '停水通知.pdf' } });
    await waitFor(() => fromBot(seen).length === 2, 'the file and the text');
    const [file, text] = fromBot(seen);
    // The file itself as the mock WeChat keeps it (it types files by extension only without a media type).
    const box = await wx.puppet.messageFile(file!.id);
    expect(box.name).toBe('停水通知.pdf');
    expect(await box.toBuffer()).toEqual(pdf);
    expect(text!.payload).toMatchObject({ type: types.Message.Text, text: '停水通知' });
  });

  it('fails for retrying when the document file is gone (our data, not the recipient’s fault)', async () => {
    const error = await failure(wx.channel.send(resident.id, { text: 'x', document: { ref: 'files/0123456789abcdef0123456789abcdef.pdf', name: 'x.pdf' } }));
    expect(error.retryable).toBe(true);
  });

  it('sends a photo without text as the photo alone', async () => {
    const ref = await storePhoto(wx.dataDir, PNG, 'image/png');
    const seen = watch(room);
    await wx.channel.send(room.id, { text: '', photo: { ref } });
    // A message sent after it, once seen, shows everything the photo's send sent before it.
    await wx.channel.send(room.id, { text: '以上' });
    await waitFor(() => fromBot(seen).length >= 2, 'the photo and the message after it');
    expect(fromBot(seen).map((m) => m.payload.type)).toEqual([types.Message.Image, types.Message.Text]);
  });

  it('fails permanently for a contact or room WeChat does not know', async () => {
    for (const chatId of ['wxid_nobody', 'nobody@chatroom']) {
      const error = await failure(wx.channel.send(chatId, { text: '您好' }));
      expect(error.retryable).toBe(false);
      expect(error.message).toBe('wechat contact or room not found');
    }
  });

  it('fails for retrying when the photo file is gone (our data, not the recipient’s fault)', async () => {
    const error = await failure(wx.channel.send(resident.id, { text: '照片', photo: { ref: 'uploads/0123456789abcdef0123456789abcdef.jpg' } }));
    expect(error.retryable).toBe(true);
  });

  it('fails for retrying while logged out, and sends again after a new login', async () => {
    await wx.channel.bot.logout();
    await waitFor(() => wx.channel.login.status().state === 'logged-out', 'the logout');
    const error = await failure(wx.channel.send(resident.id, { text: '稍后再发' }));
    expect(error).toMatchObject({ retryable: true, message: 'wechat is not logged in' });

    await wx.login();
    const seen = watch(resident);
    await wx.channel.send(resident.id, { text: '稍后再发' });
    await waitFor(() => fromBot(seen).length === 1, 'the text after the new login');
  });

  it('fails for retrying when the puppet fails mid-send', async () => {
    const original = wx.puppet.messageSendText.bind(wx.puppet);
    wx.puppet.messageSendText = async () => {
      throw new Error('network reset');
    };
    try {
      const error = await failure(wx.channel.send(resident.id, { text: '你好' }));
      expect(error).toMatchObject({ retryable: true, message: 'wechat send failed: Error: network reset' });
    } finally {
      wx.puppet.messageSendText = original;
    }
  });

  it('does not answer its own sends as if a resident wrote them', async () => {
    const seen = watch(resident);
    await wx.channel.send(resident.id, { text: '自己发的' });
    await waitFor(() => fromBot(seen).length === 1, 'the send');
    // The resident's message after it, once received, shows the bot's own came before and was passed over.
    resident.say('是我写的').to(wx.botUser);
    await waitFor(() => wx.received.length >= 1, 'the resident’s message');
    expect(wx.received.map((m) => m.text)).toEqual(['是我写的']);
  });
});

describe('WeChat sending and the network', () => {
  it('reached nothing beyond this machine', () => {
    expect(network.attempts).toEqual([]);
  });
});
