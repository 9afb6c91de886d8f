import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newBrowser, newClientId, startWebChat, type WebChatHarness } from './web-chat-harness.js';
import { databaseTargets } from '../../support/database.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (size: number) => Buffer.concat([Buffer.from(PNG_SIGNATURE), Buffer.alloc(size - PNG_SIGNATURE.length, 7)]);
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 1)]);
const webp = (size: number) => {
  const bytes = Buffer.alloc(size, 0);
  bytes.write('RIFF', 0, 'latin1');
  bytes.write('WEBP', 8, 'latin1');
  return bytes;
};
const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(100, 0)]);

describe.each(databaseTargets())('web chat photo upload (%s)', (target) => {
  let chat: WebChatHarness;
  beforeAll(async () => {
    chat = await startWebChat({ target, maxPhotoBytes: 50_000 });
  });
  beforeEach(() => {
    chat.received.length = 0;
  });
  afterAll(async () => {
    await chat.close();
  });

  const upload = (cookie: string, body: Buffer, contentType: string, id = newClientId(), language = 'zh-CN') =>
    chat.app.inject({
      method: 'POST',
      url: `/chat/api/photos?id=${id}`,
      headers: { cookie, 'content-type': contentType, 'accept-language': language },
      payload: body,
    });

  const uploads = async () => (existsSync(join(chat.dataDir, 'uploads')) ? readdir(join(chat.dataDir, 'uploads')) : []);

  it('stores JPEG, PNG and WebP under uploads/ and hands a reference to the router', async () => {
    const browser = newBrowser();
    for (const [body, mime] of [
      [jpeg(2000), 'image/jpeg'],
      [png(2000), 'image/png'],
      [webp(2000), 'image/webp'],
    ] as const) {
      const response = await upload(browser.cookie, body, 'application/octet-stream');
      expect(response.statusCode, mime).toBe(200);
      const message = chat.received.at(-1);
      expect(message).toMatchObject({ kind: 'photo', chatId: browser.sessionId, photo: { mime, bytes: 2000 } });
      const ref = message?.photo?.ref ?? '';
      expect(ref).toMatch(/^uploads\/[a-f0-9]{32}\.(jpg|png|webp)$/);
      expect(await readFile(join(chat.dataDir, ref))).toEqual(body);
      expect(response.json().row).toMatchObject({ direction: 'in', kind: 'photo', photoUrl: `/chat/api/photos/${ref.slice('uploads/'.length)}` });
    }
  });

  it('decides the type by the bytes, not by what the browser claims', async () => {
    const browser = newBrowser();
    const before = await uploads();
    const pretending = await upload(browser.cookie, gif, 'image/jpeg');
    expect(pretending.statusCode).toBe(415);
    expect(pretending.json()).toEqual({ error: 'photoType', message: '抱歉，收到的文件不是照片，没有收下。请发送 JPG、PNG 或 WebP 格式的照片。' });
    const text = await upload(browser.cookie, Buffer.from('<svg onload=alert(1)>'), 'image/png', newClientId(), 'en');
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toBe('Sorry, that file is not a photo, so it was not taken. Please send a JPG, PNG or WebP photo.');
    const pdf = await upload(browser.cookie, Buffer.from('%PDF-1.4'), 'application/pdf');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error).toBe('photoType');
    expect(await uploads()).toEqual(before);
    expect(chat.received).toHaveLength(0);
  });

  it('refuses a photo over the size limit with the limit in the reason', async () => {
    const browser = newBrowser();
    const before = await uploads();
    const tooBig = await upload(browser.cookie, jpeg(50_001), 'image/jpeg');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toEqual({ error: 'photoTooLarge', message: '抱歉，这张照片太大了（最大0.048 MB），没有收下。请换一张小一些的照片再发。' });
    expect((await upload(browser.cookie, jpeg(50_000), 'image/jpeg')).statusCode).toBe(200);
    expect((await uploads()).length).toBe(before.length + 1);
  });

  it('stores a retried upload once', async () => {
    const browser = newBrowser();
    const id = newClientId();
    const before = await uploads();
    await upload(browser.cookie, png(500), 'image/png', id);
    const retry = await upload(browser.cookie, png(500), 'image/png', id);
    expect(retry.json().duplicate).toBe(true);
    expect((await uploads()).length).toBe(before.length + 1);
    expect(chat.received.map((m) => m.photo?.ref)).toEqual([chat.received[0]?.photo?.ref, chat.received[0]?.photo?.ref]);
  });

  it('serves a photo only to the session it belongs to', async () => {
    const owner = newBrowser();
    const stranger = newBrowser();
    const body = png(1234);
    const response = await upload(owner.cookie, body, 'image/png');
    const url = response.json().row.photoUrl as string;
    const mine = await chat.app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(mine.rawPayload).toEqual(body);
    expect((await chat.app.inject({ method: 'GET', url, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
    expect((await chat.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const traversal = await chat.app.inject({ method: 'GET', url: '/chat/api/photos/..%2F..%2Fetc%2Fpasswd', headers: { cookie: owner.cookie } });
    expect(traversal.statusCode).toBe(404);
  });

  it('shows a photo the bot sent from the uploads folder to its recipient', async () => {
    const uploader = newBrowser();
    const recipient = newBrowser();
    const uploaded = await upload(uploader.cookie, jpeg(800), 'image/jpeg');
    const ref = chat.received.at(-1)?.photo?.ref ?? '';
    await chat.channel.send(recipient.sessionId, { text: '维修前照片', photo: { ref } });
    const rows = (await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie: recipient.cookie } })).json().rows;
    expect(rows).toMatchObject([{ direction: 'out', kind: 'photo', text: '维修前照片', photoUrl: uploaded.json().row.photoUrl }]);
    const served = await chat.app.inject({ method: 'GET', url: rows[0].photoUrl, headers: { cookie: recipient.cookie } });
    expect(served.statusCode).toBe(200);
  });
});
