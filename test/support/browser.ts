/**
 * Debian's Chromium for the end-to-end tests, driven by playwright-core. Without Chromium the
 * browser tests are skipped, unless REQUIRE_BROWSER_TESTS=1 (as CI sets) makes that a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);
if (!haveChromium && process.env['REQUIRE_BROWSER_TESTS'] === '1') {
  throw new Error(`REQUIRE_BROWSER_TESTS=1 but there is no Chromium at ${chromiumPath}`);
}

/** Headless, sandbox off (root in CI), and no background traffic to the closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page in a fresh context; script errors and Content-Security-Policy violations land in `errors`. */
export async function openPage(
  browser: Browser,
  options: { locale?: string; width: number; height: number },
  errors: string[] = [],
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', viewport: { width: options.width, height: options.height } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}
