/**
 * The whole app the way a newcomer meets it: the real process (`src/main.ts`) on a fresh data
 * directory with no configuration at all (embedded database, queues on it), and the web chat in
 * a real headless Chromium. Greets in Chinese with the menu, switches to English, shows help,
 * takes typed text, and after a restart of the process the conversation is where it was: the
 * open page reconnects and goes on, and a reload shows the same history.
 *
 * Chromium comes from CHROMIUM_PATH (default /usr/bin/chromium); without it this file is
 * skipped, unless REQUIRE_BROWSER_TESTS=1 makes that a failure. With E2E_SCREENSHOT_DIR set, a
 * screenshot of the Chinese conversation is saved there as app-zh.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTranslator } from '../../src/i18n/translator.js';
import { freePort, kill, startApp, tempDataDir, terminate, type AppProcess } from '../process/support/app-process.js';


const translator = loadTranslator(fileURLToPath(new URL('../../locales', import.meta.url)));
const MENU_ENTRIES = ['complaint', 'repair', 'my_tickets', 'notices', 'meetings', 'account', 'language', 'help'];

/** A text as the bot renders it for someone in `locale` (no office phone configured: the office is named alone). */
function text(locale: string, key: string, vars: Record<string, string | number> = {}): string {
  return translator.t(locale, key, { office: translator.t(locale, 'community.office'), ...vars });
}

function menuLabels(locale: string): string[] {
  return MENU_ENTRIES.map((entry) => text(locale, `flows.main_menu.choice.${entry}`));
}

/** The page's own words (not the conversation's): header, input, buttons, language. */
function pageWords(page: Page): Promise<Record<string, string | null>> {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    heading: document.querySelector('.bar-heading')!.textContent,
    conversationLabel: document.getElementById('log')!.getAttribute('aria-label'),
    inputLabel: document.querySelector('label[for="text"]')!.textContent,
    placeholder: (document.getElementById('text') as HTMLTextAreaElement).placeholder,
    send: document.getElementById('send')!.textContent,
    photo: document.getElementById('photo-button')!.getAttribute('aria-label'),
  }));
}

/** Every bubble's text, top to bottom, with its side. */
function conversation(page: Page): Promise<string[]> {
  return page.$$eval('#log .msg', (nodes) =>
    nodes.map((n) => `${n.classList.contains('msg-in') ? 'me' : 'bot'}: ${n.querySelector('.bubble-text')?.textContent ?? ''}`),
  );
}

/** Waits until the bot has said exactly `expected` (in some bubble). */
async function botSays(page: Page, expected: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => [...document.querySelectorAll('#log .msg-out .bubble-text')].some((node) => node.textContent === wanted),
    expected,
    { timeout: 15_000 },
  );
}

const BUTTON_SETS = '#log .msg-out:has(.choices)';

/**
 * The newest bot message holding buttons, pinned by position: a plain `.last()` would move on
 * to the next set once the bot answers.
 */
async function latestButtons(page: Page): Promise<Locator> {
  const count = await page.locator(BUTTON_SETS).count();
  expect(count).toBeGreaterThan(0);
  return page.locator(BUTTON_SETS).nth(count - 1);
}

/** Waits for a set of buttons newer than the `seen` ones, and resolves with it. */
async function newButtons(page: Page, seen: number): Promise<Locator> {
  await page.waitForFunction((count) => document.querySelectorAll('#log .msg-out .choices').length > count, seen, {
    timeout: 15_000,
  });
  return latestButtons(page);
}

async function buttonSetCount(page: Page): Promise<number> {
  return page.locator(BUTTON_SETS).count();
}

/** The labels of a message's buttons, and whether each can be pressed. */
async function buttonsOf(message: Locator): Promise<{ labels: string[]; enabled: boolean[] }> {
  const buttons = message.locator('.choice-button');
  const labels = await buttons.allTextContents();
  const enabled = await Promise.all(labels.map((_, i) => buttons.nth(i).isEnabled()));
  return { labels, enabled };
}

/** Presses the button with this label in `message`, then waits for the bot's next buttons. */
async function press(page: Page, message: Locator, label: string): Promise<Locator> {
  const seen = await buttonSetCount(page);
  await message.getByRole('button', { name: label, exact: true }).click();
  return newButtons(page, seen);
}

describe.skipIf(!haveChromium)('the app from a clean start, in Chromium', () => {
  const data = tempDataDir();
  let port: number;
  let base: string;
  let app: AppProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let beforeRestart: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Nothing configured but where the data goes and a free port.
    [app, browser] = await Promise.all([
      startApp({ dataDir: data.dir, port }),
      launchChromium(),
    ]);
    ({ page } = await openPage(browser, { width: 390, height: 844 }, pageErrors));
  });
  afterAll(async () => {
    await browser?.close();
    await kill(app);
    data.remove();
  });

  it('greets a new browser in Chinese with the main menu', async () => {
    await page.goto(`${base}/chat`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    const menu = await newButtons(page, 0);
    expect(await menu.locator('.bubble-text').textContent()).toBe(text('zh-CN', 'flows.main_menu.prompt'));
    expect(await buttonsOf(menu)).toEqual({ labels: menuLabels('zh-CN'), enabled: MENU_ENTRIES.map(() => true) });
    for (const label of menuLabels('zh-CN')) await expect(menu.getByRole('button', { name: label, exact: true }).isVisible()).resolves.toBe(true);
  });

  it('opens the notices from the menu (none yet for a newcomer), and shows the menu again', async () => {
    const menu = await latestButtons(page);
    const again = await press(page, menu, text('zh-CN', 'flows.main_menu.choice.notices'));
    await botSays(page, text('zh-CN', 'flows.notices.empty'));
    expect((await buttonsOf(again)).labels).toEqual(menuLabels('zh-CN'));
    // The answered menu is closed, with the chosen entry marked.
    const answered = await buttonsOf(menu);
    expect(answered.enabled.every((enabled) => !enabled)).toBe(true);
    expect(await menu.getByRole('button', { name: text('zh-CN', 'flows.main_menu.choice.notices') }).getAttribute('aria-pressed')).toBe('true');

    const screenshotDir = process.env.E2E_SCREENSHOT_DIR;
    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      // The conversation scrolls inside the page: a taller window shows all of it at once.
      await page.setViewportSize({ width: 390, height: 1400 });
      await page.screenshot({ path: join(screenshotDir, 'app-zh.png') });
      await page.setViewportSize({ width: 390, height: 844 });
    }
  });

  it('switches to English from the menu and answers in English from then on', async () => {
    const menu = await latestButtons(page);
    const languages = await press(page, menu, text('zh-CN', 'flows.main_menu.choice.language'));
    expect(await languages.locator('.bubble-text').textContent()).toBe(text('zh-CN', 'flows.language.prompt'));
    expect((await buttonsOf(languages)).labels).toEqual([text('zh-CN', 'flows.language.zh'), text('zh-CN', 'flows.language.en')]);

    const englishMenu = await press(page, languages, text('zh-CN', 'flows.language.en'));
    await botSays(page, text('en', 'flows.language.done'));
    expect(await englishMenu.locator('.bubble-text').textContent()).toBe(text('en', 'flows.main_menu.prompt'));
    expect(await buttonsOf(englishMenu)).toEqual({ labels: menuLabels('en'), enabled: MENU_ENTRIES.map(() => true) });
  });

  it('speaks English in its own words too at once, without a reload', async () => {
    const words = await pageWords(page);
    expect(words.title).toMatch(/ · Linli$/);
    expect({ ...words, title: undefined }).toEqual({
      lang: 'en',
      title: undefined,
      heading: text('en', 'webchat.heading'),
      conversationLabel: text('en', 'webchat.conversationLabel'),
      inputLabel: text('en', 'webchat.inputLabel'),
      placeholder: text('en', 'webchat.placeholder'),
      send: text('en', 'webchat.send'),
      photo: text('en', 'webchat.photo'),
    });
    const screenshotDir = process.env.E2E_SCREENSHOT_DIR;
    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'app-en-390x844.png') });
    }
    // A reload shows the same words (the page is served in the language chosen).
    await page.reload();
    await page.waitForSelector('#log .msg-out');
    expect((await pageWords(page)).placeholder).toBe(text('en', 'webchat.placeholder'));
  });

  it('shows the help text in English, then the menu', async () => {
    const menu = await latestButtons(page);
    const after = await press(page, menu, text('en', 'flows.main_menu.choice.help'));
    await botSays(page, text('en', 'flows.help.text'));
    expect((await buttonsOf(after)).labels).toEqual(menuLabels('en'));
  });

  it('takes typed text sent with Enter, and re-asks with the reason when it is not a menu entry', async () => {
    const seen = await buttonSetCount(page);
    await page.locator('#text').click();
    await page.keyboard.type('Where is the bicycle shed?');
    await page.keyboard.press('Enter');
    const reasked = await newButtons(page, seen);
    expect(await page.locator('#text').inputValue()).toBe('');
    await botSays(page, text('en', 'engine.reason.not_a_choice', { count: MENU_ENTRIES.length }));
    expect((await buttonsOf(reasked)).labels).toEqual(menuLabels('en'));

    const tail = (await conversation(page)).slice(-3);
    expect(tail).toEqual([
      'me: Where is the bicycle shed?',
      `bot: ${text('en', 'engine.reason.not_a_choice', { count: MENU_ENTRIES.length })}`,
      `bot: ${text('en', 'flows.main_menu.prompt')}`,
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the conversation across a restart of the process: the open page goes on, a reload shows the same history, still English', async () => {
    beforeRestart = await conversation(page);
    const exit = await terminate(app!);
    expect(exit, app!.stderr()).toEqual({ code: 0, signal: null });

    app = await startApp({ dataDir: data.dir, port });
    // The open page finds the server again by itself and goes on, in English.
    const stillOpen = await latestButtons(page);
    await press(page, stillOpen, text('en', 'flows.main_menu.choice.notices'));
    await botSays(page, text('en', 'flows.notices.empty'));
    beforeRestart = await conversation(page);

    await page.reload();
    await newButtons(page, 0);
    await page.waitForFunction((count) => document.querySelectorAll('#log .msg').length >= count, beforeRestart.length);
    expect(await conversation(page)).toEqual(beforeRestart);
    // The page's own labels follow the language chosen in the conversation, not the browser's.
    expect(await page.locator('#text').getAttribute('placeholder')).toBe(text('en', 'webchat.placeholder'));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // Only the newest menu is open after the reload.
    const sets = page.locator(BUTTON_SETS);
    const count = await sets.count();
    for (let i = 0; i < count - 1; i++) expect((await buttonsOf(sets.nth(i))).enabled.some(Boolean)).toBe(false);
    const latest = await latestButtons(page);
    expect(await buttonsOf(latest)).toEqual({ labels: menuLabels('en'), enabled: MENU_ENTRIES.map(() => true) });

    // The conversation goes on from there, in English.
    const again = await press(page, latest, text('en', 'flows.main_menu.choice.notices'));
    await botSays(page, text('en', 'flows.notices.empty'));
    expect((await buttonsOf(again)).labels).toEqual(menuLabels('en'));
    expect((await conversation(page)).slice(0, beforeRestart.length)).toEqual(beforeRestart);
  });
});
