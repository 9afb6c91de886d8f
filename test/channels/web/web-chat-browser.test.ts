/**
 * The page in a real headless Chromium (playwright-core), with the channel wired to a small
 * echo handler in place of the router and engine. Chromium comes from CHROMIUM_PATH
 * (default /usr/bin/chromium); without it this file is skipped, unless REQUIRE_BROWSER_TESTS=1
 * makes that a failure.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDocument } from '../../../src/channels/media/document-files.js';
import { samplePdf } from '../../support/documents.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { haveChromium, launchChromium, openPage } from '../../support/browser.js';
import type { InboundMessage } from '../../../src/channels/types.js';
import { WEB_CHAT_START_TEXT, type WebChannel } from '../../../src/channels/web/web-channel.js';
import { startWebChat, type WebChatHarness } from './web-chat-harness.js';


const MENU = [
  { label: '报修', data: 'menu:repair' },
  { label: '投诉建议', data: 'menu:complaint' },
  { label: '帮助', data: 'menu:help' },
];

/** Stands in for router + engine: greets with a menu, echoes choices, text and photos. */
async function echo(message: InboundMessage, channel: WebChannel): Promise<void> {
  if (message.kind === 'text' && message.text === WEB_CHAT_START_TEXT) {
    await channel.send(message.chatId, { text: '您好，我是邻里。\n请问要办什么事？', choices: MENU });
  } else if (message.kind === 'choice') {
    const label = MENU.find((c) => c.data === message.choiceData)?.label ?? '?';
    await channel.send(message.chatId, { text: `已选择：${label}` });
  } else if (message.kind === 'photo') {
    await channel.send(message.chatId, { text: '收到照片' });
  } else {
    await channel.send(message.chatId, { text: `收到：${message.text ?? ''}` });
  }
}

/** Every bubble's text in the conversation, top to bottom, with its side. */
function conversation(page: Page): Promise<string[]> {
  return page.$$eval('#log .msg', (nodes) =>
    nodes.map((n) => `${n.classList.contains('msg-in') ? '我' : 'bot'}: ${n.querySelector('.bubble-text')?.textContent ?? '[photo]'}`),
  );
}

describe.skipIf(!haveChromium)('web chat page in Chromium', () => {
  let chat: WebChatHarness;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    chat = await startWebChat({ handler: echo, eventStream: { pollMs: 1000, heartbeatMs: 5000 } });
    base = await chat.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    ({ page } = await openPage(browser, { width: 390, height: 844 }, pageErrors));
    context = page.context();
  });
  afterAll(async () => {
    await browser?.close();
    await chat?.close();
  });

  it('greets with the menu, takes a pressed choice and typed text, in order', async () => {
    await page.goto(`${base}/chat`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('button', { name: '报修' }).waitFor();
    expect(await page.locator('.msg-out .bubble-text').first().textContent()).toBe('您好，我是邻里。\n请问要办什么事？');

    await page.getByRole('button', { name: '报修' }).click();
    await page.locator('.msg-out', { hasText: '已选择：报修' }).waitFor();
    for (const choice of MENU) expect(await page.getByRole('button', { name: choice.label }).isDisabled()).toBe(true);

    const input = page.getByLabel('输入消息');
    await input.click();
    await page.keyboard.type('三楼楼道灯不亮');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('已经两天了');
    await page.keyboard.press('Enter');
    await page.locator('.msg-out', { hasText: '已经两天了' }).waitFor();
    expect(await input.inputValue()).toBe('');

    expect(await conversation(page)).toEqual([
      'bot: 您好，我是邻里。\n请问要办什么事？',
      '我: 报修',
      'bot: 已选择：报修',
      '我: 三楼楼道灯不亮\n已经两天了',
      'bot: 收到：三楼楼道灯不亮\n已经两天了',
    ]);
    // Line breaks are shown as line breaks: the two-line bubble is twice as tall as '报修'.
    const height = (index: number) =>
      page.locator('.msg-in .bubble-text').nth(index).evaluate((el) => (el as HTMLElement).offsetHeight);
    expect(await height(1)).toBeGreaterThan((await height(0)) * 1.5);
  });

  it('shows markup as text, never as HTML', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"><b>粗体</b>';
    await page.getByLabel('输入消息').fill(attack);
    await page.keyboard.press('Enter');
    await page.locator('.msg-out', { hasText: `收到：${attack}` }).waitFor();
    expect(await page.locator('#log img').count()).toBe(0);
    expect(await page.locator('#log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('sends a photo from the photo button', async () => {
    const picture = await page.screenshot({ type: 'png' });
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '发送照片' }).click();
    await (await chooser).setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: picture });
    await page.locator('.msg-out', { hasText: '收到照片' }).waitFor();
    const photo = chat.received.find((m) => m.kind === 'photo')?.photo;
    // Scaled down and re-encoded in the browser before upload.
    expect(photo?.mime).toBe('image/jpeg');
    expect(await page.locator('.msg-in img.bubble-photo').count()).toBe(1);
  });

  it('keeps the whole conversation after a reload, with the used menu disabled and its choice marked', async () => {
    const before = await conversation(page);
    await page.reload();
    await page.locator('.msg-out', { hasText: '收到照片' }).waitFor();
    expect(await conversation(page)).toEqual(before);
    const pressed = page.getByRole('button', { name: '报修' });
    expect(await pressed.isDisabled()).toBe(true);
    expect(await pressed.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: '帮助' }).getAttribute('aria-pressed')).toBe('false');
    // The photo now comes from the server, for this session only.
    const src = await page.locator('.msg-in img.bubble-photo').getAttribute('src');
    expect(src).toMatch(/^\/chat\/api\/photos\/[a-f0-9]{32}\.jpg$/);
    expect(await page.locator('.msg-in img.bubble-photo').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  });

  it('shows an edited message (a sender’s progress) in place of the old one, live and after a reload', async () => {
    const sessionId = chat.received.at(-1)!.chatId;
    const first = await chat.channel.send(sessionId, { text: '📤通知TZ-2026-00001发送中：已发送0 / 3' });
    await page.locator('.msg-out', { hasText: '已发送0 / 3' }).waitFor();
    const second = await chat.channel.send(sessionId, { text: '📤通知TZ-2026-00001发送中：已发送2 / 3', editOf: first.externalMessageId });
    await page.locator('.msg-out', { hasText: '已发送2 / 3' }).waitFor();
    await chat.channel.send(sessionId, { text: '✅通知TZ-2026-00001发送完毕：已送达3 / 3', editOf: second.externalMessageId });
    await page.locator('.msg-out', { hasText: '发送完毕' }).waitFor();
    await page.locator('.msg-out', { hasText: '发送完毕' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/linli-web-chat-edited.png' });
    const shown = await conversation(page);
    expect(shown.filter((line) => line.includes('TZ-2026-00001'))).toEqual(['bot: ✅通知TZ-2026-00001发送完毕：已送达3 / 3']);
    await page.reload();
    await page.locator('.msg-out', { hasText: '发送完毕' }).waitFor();
    expect((await conversation(page)).filter((line) => line.includes('TZ-2026-00001'))).toEqual(['bot: ✅通知TZ-2026-00001发送完毕：已送达3 / 3']);
  });

  it('shows a file sent with a message as a download under its name, which downloads it', async () => {
    const sessionId = chat.received.at(-1)!.chatId;
    const pdf = samplePdf('Fees');
    const ref = await storeDocument(chat.dataDir, pdf, 'application/pdf');
    await chat.channel.send(sessionId, { text: '📢通知TZ-2026-00002：物业费收费标准', document: { ref, name: '收费标准.pdf' } });
    const link = page.locator('.msg-out a.bubble-file', { hasText: '收费标准.pdf' });
    await link.waitFor();
    await link.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/linli-web-chat-file.png' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('收费标准.pdf');
    expect(await readFile((await download.path())!)).toEqual(pdf);
  });

  it('ran without script errors or policy violations', () => {
    expect(pageErrors).toEqual([]);
  });

  it('shows that it is reconnecting after a drop, and catches up afterwards', async () => {
    const sessionId = chat.received[0]?.chatId ?? '';
    await context.setOffline(true);
    chat.app.server.closeAllConnections();
    await page.locator('#status').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#status').textContent()).toContain('正在重新连接');
    await chat.channel.send(sessionId, { text: '断线期间的通知' });
    await context.setOffline(false);
    await page.locator('.msg-out', { hasText: '断线期间的通知' }).waitFor({ timeout: 20_000 });
    await page.locator('#status').waitFor({ state: 'hidden' });
  });

  it('starts a new browser on its own empty conversation', async () => {
    const other = await browser.newContext({ locale: 'en-US' });
    const otherPage = await other.newPage();
    await otherPage.goto(`${base}/chat`);
    expect(await otherPage.getAttribute('html', 'lang')).toBe('en');
    await otherPage.getByRole('button', { name: '报修' }).waitFor();
    expect(await conversation(otherPage)).toEqual(['bot: 您好，我是邻里。\n请问要办什么事？']);
    expect(await otherPage.getByPlaceholder('Type a message…').count()).toBe(1);
    await other.close();
  });
});
