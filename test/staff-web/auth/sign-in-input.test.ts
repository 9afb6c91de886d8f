/**
 * What a stranger may send the sign-in and setup forms: text that cannot be stored (a NUL, a
 * lone surrogate) is refused with 400 and words, never a 500; an unknown asset is "not found" in
 * the person's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import zhCN from '../../../locales/zh-CN.json' with { type: 'json' };
import en from '../../../locales/en.json' with { type: 'json' };

const UNREADABLE = zhCN.staffweb.auth.unreadable_text;

describe.each(databaseTargets())('sign-in input (%s)', (target) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
  });
  afterAll(async () => {
    await test?.close();
  });

  /** A form as JSON (the only way a lone surrogate survives the trip: a urlencoded form turns it into U+FFFD). */
  async function postJson(browser: StaffBrowser, url: string, fields: Record<string, string>) {
    return browser.request('POST', url, JSON.stringify({ _csrf: browser.csrfToken, ...fields }), { 'content-type': 'application/json' });
  }

  const unstorable = [
    ['a NUL', 'x\u0000y'],
    ['a lone surrogate', 'x\uD800y'],
  ] as const;

  it.each(unstorable)('refuses %s in the name or code of a sign-in, with words', async (_label, text) => {
    const browser = new StaffBrowser(test.app, '198.51.100.30');
    await browser.get('/staff/sign-in');
    for (const fields of [{ name: text, code: '1234 5678' }, { name: '李委员', code: text }]) {
      const refused = await postJson(browser, '/staff/sign-in', fields);
      expect(refused.status).toBe(400);
      expect(refused.body).toContain(UNREADABLE);
      expect(refused.body).toContain('name="_csrf"');
    }
    // A urlencoded NUL too (what a browser's form would send).
    expect((await browser.post('/staff/sign-in', { name: 'x\u0000y', code: '1234 5678' })).status).toBe(400);
    // Nothing counted against anyone: the form never reached the check.
    expect(await test.app.database.prisma.staffLoginMiss.count()).toBe(0);
  });

  it.each(unstorable)('refuses %s in the name asked a code for', async (_label, text) => {
    const browser = new StaffBrowser(test.app, '198.51.100.31');
    await browser.get('/staff/sign-in');
    const refused = await postJson(browser, '/staff/sign-in/code', { name: text });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(UNREADABLE);
    expect((await browser.post('/staff/sign-in/code', { name: 'x\u0000y' })).status).toBe(400);
  });

  it.each(unstorable)('refuses %s in the first administrator’s name or phone, and the address still works', async (_label, text) => {
    const [line] = await test.app.readyLines('http://127.0.0.1:3000');
    const path = /\/staff\/setup\/[A-Za-z0-9_-]+/.exec(line!)![0];
    const browser = new StaffBrowser(test.app, '198.51.100.32');
    expect((await browser.get(path)).status).toBe(200);
    for (const fields of [{ name: text }, { name: '王主任', phone: text }] as Record<string, string>[]) {
      const refused = await postJson(browser, path, fields);
      expect(refused.status).toBe(400);
      expect(refused.body).toContain(UNREADABLE);
    }
    expect(await test.app.database.prisma.roleAssignment.count({ where: { role: 'admin' } })).toBe(0);
    expect((await browser.get(path)).status).toBe(200);
  });

  it('answers an unknown asset with "not found" in the browser’s language', async () => {
    const browser = new StaffBrowser(test.app);
    const zh = await browser.get('/staff/assets/nothing-here.css');
    expect(zh.status).toBe(404);
    expect(zh.body).toBe(zhCN.staffweb.errors.not_found);
    const english = await browser.get('/staff/assets/nothing-here.css', { 'accept-language': 'en' });
    expect(english.body).toBe(en.staffweb.errors.not_found);
  });
});
