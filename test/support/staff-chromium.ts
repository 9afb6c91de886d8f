/**
 * A staff member signing in to the console in Chromium, as they do: a code issued the way
 * `linli staff login` issues it, typed into the sign-in form with their name; and the check each
 * console view gets: no axe-core violation, photographed at every size when `STAFF_SCREENSHOTS`
 * names a folder.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { deriveKey } from '../../src/security/derived-key.js';
import { issueLoginCode } from '../../src/staff-web/auth/login-codes.js';
import { axeViolations } from './axe.js';

/** The sizes every console page is checked at: a phone and a desk. */
export const CONSOLE_SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;

/** Signs `name` in at `base` (the app's address) and waits for the inbox. */
export async function signInInChromium(page: Page, app: App, base: string, name: string, residentId: string): Promise<void> {
  const key = deriveKey(app.config.LINLI_SECRET!, 'staff-login-code');
  const { code } = await app.database.prisma.$transaction((tx) => issueLoginCode(tx, { communityId: app.communityId, residentId, via: 'cli', key, now: new Date() }));
  await page.goto(`${base}/staff/sign-in`);
  await page.fill('#sign-in-name', name);
  await page.fill('#sign-in-code', code);
  await page.locator('form[action="/staff/sign-in"] button[type="submit"]').click();
  await page.waitForURL(`${base}/staff`);
}

/** No axe-core violation on the page as it is; a full-page photograph at each size into `folder`, when given. */
export async function checkConsoleView(page: Page, name: string, folder: string | undefined): Promise<void> {
  expect(await axeViolations(page), `${name}: axe-core`).toEqual([]);
  for (const size of CONSOLE_SIZES) {
    await page.setViewportSize(size);
    if (folder) await page.screenshot({ path: join(folder, `${name}-${size.width}.png`), fullPage: true });
  }
}
