/**
 * Messages from residents reaching the WeChat channel through a real wechaty and the mock
 * WeChat: what is handed on, as which kind, with which ids; and what is left alone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileBox } from 'file-box';
import { types } from 'wechaty';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardNetwork, type NetworkGuard } from './network-guard.js';
import { createResident, createRoom, deliverFile, deliverRaw, startWeChat, type ContactMock, type RoomMock, type WeChatHarness } from './wechat-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { renamedProgram, samplePdf } from '../../support/documents.js';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let network: NetworkGuard;
beforeAll(() => {
  network = guardNetwork();
});
afterAll(() => network.restore());

describe('WeChat inbound messages', () => {
  let wx: WeChatHarness;
  let resident: ContactMock;
  let neighbour: ContactMock;
  let room: RoomMock;

  beforeEach(async () => {
    wx = await startWeChat({ maxPhotoBytes: 4096 });
    resident = createResident(wx.mocker, '张阿姨');
    neighbour = createResident(wx.mocker, '李师傅');
    room = createRoom(wx.mocker, '3号楼邻里群', [wx.botUser, resident, neighbour]);
    await wx.start();
    await wx.login();
  });
  afterEach(() => wx.close());

  /** Sends a text the channel must hand on, and waits until it has: everything before it in the same chat was dealt with. */
  let markers = 0;
  async function marker(from: ContactMock, to: ContactMock | RoomMock = wx.botUser): Promise<void> {
    markers += 1;
    const text = `marker ${markers}`;
    if (to === wx.botUser) from.say(text).to(to);
    else from.say(`@${wx.botUser.payload.name} ${text}`, [wx.botUser]).to(to);
    await waitFor(() => wx.received.some((m) => m.text === text), `"${text}" to arrive`);
  }

  it('hands on a private text with the ids a reply needs', async () => {
    resident.say('楼道灯坏了').to(wx.botUser);
    await waitFor(() => wx.received.length === 1, 'the text');
    const [message] = wx.received;
    expect(message).toMatchObject({
      channel: 'wechat',
      kind: 'text',
      text: '楼道灯坏了',
      senderId: resident.id,
      chatId: resident.id,
      chatType: 'private',
    });
    expect(message!.externalId).toMatch(new RegExp(`^${wx.botUser.id}:.+`));
    expect(message!.receivedAt).toBeInstanceOf(Date);
  });

  it('keeps one chat in order, photos among texts', async () => {
    resident.say('第一条').to(wx.botUser);
    resident.say(FileBox.fromBase64(PNG.toString('base64'), 'photo.png')).to(wx.botUser);
    resident.say('第三条').to(wx.botUser);
    await waitFor(() => wx.received.length === 3, 'three messages');
    expect(wx.received.map((m) => m.kind)).toEqual(['text', 'photo', 'text']);
    expect(wx.received.map((m) => m.text ?? null)).toEqual(['第一条', null, '第三条']);
  });

  it('stores a photo under uploads/ and hands on its reference', async () => {
    resident.say(FileBox.fromBase64(PNG.toString('base64'), 'photo.png')).to(wx.botUser);
    await waitFor(() => wx.received.length === 1, 'the photo');
    const photo = wx.received[0]!.photo!;
    expect(wx.received[0]!.kind).toBe('photo');
    expect(photo).toMatchObject({ mime: 'image/png', bytes: PNG.length });
    expect(photo.ref).toMatch(/^uploads\/[a-f0-9]{32}\.png$/);
    expect(await readFile(join(wx.dataDir, photo.ref))).toEqual(PNG);
  });

  it('hands a photo over the size limit, or not a JPEG/PNG/WebP, on as refused, saying why', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000)]);
    resident.say(FileBox.fromBase64(big.toString('base64'), 'big.jpg')).to(wx.botUser);
    resident.say(FileBox.fromBase64(GIF.toString('base64'), 'moving.png')).to(wx.botUser);
    await waitFor(() => wx.received.length === 2, 'two messages');
    expect(wx.received.map((m) => [m.kind, m.photoRefused?.reason])).toEqual([
      ['photo_refused', 'too_large'],
      ['photo_refused', 'not_an_image'],
    ]);
  });

  it('takes a file in by its bytes under the name it was sent with; one that is not a PDF, Word, Excel file or photo is refused', async () => {
    const pdf = samplePdf();
    deliverFile(wx.mocker, resident, wx.botUser, FileBox.fromBase64(pdf.toString('base64'), '停水通知.pdf'));
    deliverFile(wx.mocker, resident, wx.botUser, FileBox.fromBase64(renamedProgram().toString('base64'), 'form.pdf'));
    await waitFor(() => wx.received.length === 2, 'two files');
    const [taken, refusedFile] = wx.received;
    expect(taken).toMatchObject({ kind: 'document', document: { name: '停水通知.pdf', mime: 'application/pdf', bytes: pdf.length } });
    expect(await readFile(join(wx.dataDir, taken!.document!.ref))).toEqual(pdf);
    expect(refusedFile).toMatchObject({ kind: 'document_refused', documentRefused: { reason: 'not_allowed' } });
  });

  it('hands on voice, video, stickers, links, mini programs and locations as unsupported, by type', async () => {
    resident.say(FileBox.fromBase64(Buffer.from('video').toString('base64'), 'clip.mp4')).to(wx.botUser);
    await waitFor(() => wx.received.length === 1, 'the video');
    const others = [types.Message.Audio, types.Message.Emoticon, types.Message.Url, types.Message.MiniProgram, types.Message.Location, types.Message.Contact];
    for (const type of others) {
      const before = wx.received.length;
      deliverRaw(wx.mocker, { talkerId: resident.id, listenerId: wx.botUser.id, type });
      await waitFor(() => wx.received.length === before + 1, `message type ${type}`);
    }
    expect(wx.received.every((m) => m.kind === 'unsupported')).toBe(true);
    expect(wx.received.map((m) => m.unsupportedType)).toEqual(['video', 'voice', 'sticker', 'link', 'mini-program', 'location', 'contact-card']);
  });

  it('leaves alone system notices and recalls, backlog older than two minutes, and the bot’s own messages', async () => {
    const to = { talkerId: resident.id, listenerId: wx.botUser.id };
    deliverRaw(wx.mocker, { ...to, type: types.Message.Unknown, text: '你已添加了邻里助手，现在可以开始聊天了。' });
    deliverRaw(wx.mocker, { ...to, type: types.Message.Recalled, text: '"张阿姨" 撤回了一条消息' });
    deliverRaw(wx.mocker, { ...to, type: types.Message.Text, text: '三分钟前的旧消息', timestamp: Date.now() - 3 * 60_000 });
    deliverRaw(wx.mocker, { ...to, type: types.Message.Text, text: '一分钟前的消息', timestamp: Date.now() - 60_000 });
    // The bot writing to the resident from another device: its own message.
    wx.botUser.say('机器人自己发的').to(resident);
    await marker(resident);
    expect(wx.received.map((m) => m.text)).toEqual(['一分钟前的消息', `marker ${markers}`]);
    expect(wx.logs.filter((l) => l.msg === 'wechat message skipped').map((l) => l.reason).sort()).toEqual(['backlog', 'self', 'system', 'system']);
  });

  it('leaves alone official accounts’ pushes', async () => {
    const account = createResident(wx.mocker, '物业公众号', { type: types.Contact.Official });
    account.say('本周停水通知').to(wx.botUser);
    await waitFor(() => wx.logs.some((l) => l.reason === 'official-account'), 'the push to be skipped');
    expect(wx.received).toEqual([]);
  });

  it('answers in a room only when mentioned, without the mention, replying to the room', async () => {
    neighbour.say('今天天气不错').to(room);
    neighbour.say(FileBox.fromBase64(PNG.toString('base64'), 'photo.png')).to(room);
    resident.say(`@${wx.botUser.payload.name}\u2005电梯又坏了`, [wx.botUser]).to(room);
    await waitFor(() => wx.received.length === 1, 'the mention');
    await marker(neighbour, room);
    expect(wx.received[0]).toMatchObject({ kind: 'text', text: '电梯又坏了', senderId: resident.id, chatId: room.id, chatType: 'group' });
    expect(wx.received.map((m) => m.text)).toEqual(['电梯又坏了', `marker ${markers}`]);
    const reasons = wx.logs.filter((l) => l.msg === 'wechat message skipped').map((l) => l.reason).sort();
    expect(reasons).toEqual(['room-not-mentioned', 'room-not-text']);
  });

  it('hands a repeated platform message on with the same external id (the router drops the second)', async () => {
    const id = deliverRaw(wx.mocker, { talkerId: resident.id, listenerId: wx.botUser.id, type: types.Message.Text, text: '重复' });
    wx.mocker.puppet.emit('message', { messageId: id });
    await waitFor(() => wx.received.length === 2, 'both deliveries');
    expect(wx.received[0]!.externalId).toBe(`${wx.botUser.id}:${id}`);
    expect(wx.received[1]!.externalId).toBe(wx.received[0]!.externalId);
  });

  it('logs ids only: no names, no message text', async () => {
    resident.say('我家住3栋502').to(wx.botUser);
    await waitFor(() => wx.received.length === 1, 'the text');
    const logText = JSON.stringify(wx.logs);
    for (const secret of ['张阿姨', '李师傅', '邻里助手', '3栋502', '3号楼邻里群']) expect(logText).not.toContain(secret);
    expect(logText).toContain(wx.botUser.id);
  });

  it('takes nothing after stop', async () => {
    await wx.channel.stop();
    resident.say('停了以后').to(wx.botUser);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wx.received).toEqual([]);
  });
});

describe('WeChat and the network', () => {
  it('reached nothing beyond this machine', () => {
    expect(network.attempts).toEqual([]);
  });
});
