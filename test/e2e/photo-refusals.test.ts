/**
 * A photo that cannot be taken — larger than the limit, or a file that is not an image sent as
 * a photo — gets the same clear answer on every channel, in the person's language: over
 * Telegram (the fake Bot API), WeChat (the mock puppet) and the web chat. A photo taken before
 * stays taken, and nothing of a refused one is kept.
 */
import type { EventEmitter } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileBox } from 'file-box';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { photoRefusalAnswer } from '../../src/channels/media/photo-refusal-answer.js';
import type { PhotoRefusal } from '../../src/channels/media/photo-intake.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { RecordingPuppetMock } from '../channels/wechat/wechat-harness.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { fakeJpeg, notAnImage } from '../fakes/telegram-bot-api/sample-files.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';

const target = databaseTargets()[0]!;
const translator = loadTranslator(fileURLToPath(new URL('../../locales', import.meta.url)));
/** The app's limit for one photo (src/app.ts). */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

function answer(locale: string, refusal: PhotoRefusal): string {
  const { key, vars } = photoRefusalAnswer(refusal, MAX_PHOTO_BYTES);
  return translator.t(locale, key, vars);
}

it('says it plainly, not "only text and photos"', () => {
  expect(answer('zh-CN', 'too_large')).toBe('抱歉，这张照片太大了（最大10 MB），没有收下。请换一张小一些的照片再发。');
  expect(answer('en', 'not_an_image')).toBe('Sorry, that file is not a photo, so it was not taken. Please send a JPG, PNG or WebP photo.');
  expect(answer('en', 'too_large')).not.toBe(translator.t('en', 'engine.unsupported'));
});

/** The stored photos' files, and the rows recording them. */
async function kept(t: TestApp): Promise<{ files: string[]; rows: number }> {
  const files = await readdir(join(t.app.config.DATA_DIR, 'uploads')).catch(() => []);
  return { files: files.filter((f) => !f.startsWith('.')), rows: await t.app.database.prisma.storedPhoto.count() };
}

describe('photo refusals over Telegram', () => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    t = await startTestApp(target, { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot }, undefined, { serve: true });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  for (const [language, locale] of [['zh-hans', 'zh-CN'], ['en', 'en']] as const) {
    it(`answers a too large photo and a file that is not one in ${locale}, keeping the photo taken before`, async () => {
      const person = telegram.createUser({ language_code: language });
      const texts = async (count: number) =>
        waitFor(() => {
          const sent = telegram.sentTo(person.id);
          return sent.length >= count ? sent.map((m) => m.text ?? '') : undefined;
        }, `${count} Telegram message(s)`);
      telegram.userSendsPhoto(person, person, { sizes: [fakeJpeg(20_000)] });
      const greeting = (await texts(1)).length;
      const before = await kept(t);
      expect(before.rows).toBeGreaterThanOrEqual(1);

      telegram.userSendsPhoto(person, person, { sizes: [fakeJpeg(MAX_PHOTO_BYTES + 1)] });
      expect((await texts(greeting + 1)).at(-1)).toBe(answer(locale, 'too_large'));
      // Telegram did not say the size: the download itself stops at the limit.
      telegram.userSendsPhoto(person, person, { sizes: [fakeJpeg(MAX_PHOTO_BYTES + 1)], omitFileSize: true });
      expect((await texts(greeting + 2)).at(-1)).toBe(answer(locale, 'too_large'));
      telegram.userSendsPhoto(person, person, { sizes: [notAnImage()] });
      expect((await texts(greeting + 3)).at(-1)).toBe(answer(locale, 'not_an_image'));
      expect(await kept(t)).toEqual(before);
    }, 60_000);
  }
});

describe('photo refusals over WeChat', () => {
  let t: TestApp;
  const mocker = new mock.Mocker();
  beforeAll(async () => {
    t = await startTestApp(
      target,
      { WECHAT_MIN_SEND_INTERVAL_MS: '5', WECHAT_MAX_SEND_INTERVAL_MS: '10' },
      undefined,
      { serve: true, wechatPuppet: new RecordingPuppetMock({ mocker }) },
    );
  }, 60_000);
  afterAll(() => t?.close());

  it('answers a too large photo and a file that is not one in the person\'s language, keeping the photo taken before', async () => {
    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    mocker.login(bot);
    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');
    const resident = mocker.createContact({ name: '居民甲', avatar: '' });
    const seen: string[] = [];
    (resident as unknown as EventEmitter).on('message', (message: { payload: { talkerId?: string; text?: string; type?: number } }) => {
      if (message.payload.talkerId === bot.id) seen.push(message.payload.text ?? '');
    });
    const texts = (count: number) => waitFor(() => (seen.length >= count ? [...seen] : undefined), `${count} WeChat message(s)`);

    resident.say(FileBox.fromBase64(fakeJpeg(20_000).toString('base64'), 'photo.jpg')).to(bot);
    const greeting = (await texts(1)).length;
    const before = await kept(t);
    expect(before.rows).toBe(1);

    resident.say(FileBox.fromBase64(fakeJpeg(MAX_PHOTO_BYTES + 1).toString('base64'), 'big.jpg')).to(bot);
    expect((await texts(greeting + 1)).at(-1)).toBe(answer('zh-CN', 'too_large'));
    resident.say(FileBox.fromBase64(notAnImage().toString('base64'), 'notes.jpg')).to(bot);
    expect((await texts(greeting + 2)).at(-1)).toBe(answer('zh-CN', 'not_an_image'));

    // The person's chosen language, not the platform's.
    await t.app.database.prisma.chatAccount.updateMany({ where: { channel: 'wechat' }, data: { locale: 'en' } });
    resident.say(FileBox.fromBase64(notAnImage().toString('base64'), 'notes.jpg')).to(bot);
    expect((await texts(greeting + 3)).at(-1)).toBe(answer('en', 'not_an_image'));
    expect(await kept(t)).toEqual(before);
  }, 60_000);
});

describe('photo refusals in the web chat', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, {}, undefined, { serve: true });
  }, 60_000);
  afterAll(() => t?.close());

  async function newBrowser(): Promise<string> {
    const page = await t.app.http.inject({ method: 'GET', url: '/chat', headers: { 'accept-language': 'zh-CN' } });
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    await t.app.http.inject({ method: 'POST', url: '/chat/api/start', headers: { cookie, 'accept-language': 'zh-CN' }, payload: {} });
    return cookie;
  }

  const upload = (cookie: string, body: Buffer) =>
    t.app.http.inject({
      method: 'POST',
      url: `/chat/api/photos?id=${crypto.randomUUID()}`,
      headers: { cookie, 'content-type': 'image/jpeg', 'accept-language': 'zh-CN' },
      payload: body,
    });

  it('answers a too large photo and a file that is not one in the person\'s language, keeping the photo taken before', async () => {
    const cookie = await newBrowser();
    expect((await upload(cookie, fakeJpeg(20_000))).statusCode).toBe(200);
    const before = await kept(t);
    expect(before.rows).toBe(1);

    const tooLarge = await upload(cookie, fakeJpeg(MAX_PHOTO_BYTES + 1));
    expect([tooLarge.statusCode, tooLarge.json().message]).toEqual([413, answer('zh-CN', 'too_large')]);
    const notPhoto = await upload(cookie, notAnImage());
    expect([notPhoto.statusCode, notPhoto.json().message]).toEqual([415, answer('zh-CN', 'not_an_image')]);

    // The language the person chose in the conversation, over the browser's.
    await t.app.database.prisma.chatAccount.updateMany({ where: { channel: 'web' }, data: { locale: 'en' } });
    expect((await upload(cookie, fakeJpeg(MAX_PHOTO_BYTES + 1))).json().message).toBe(answer('en', 'too_large'));
    expect((await upload(cookie, notAnImage())).json().message).toBe(answer('en', 'not_an_image'));
    expect(await kept(t)).toEqual(before);
  }, 60_000);
});
