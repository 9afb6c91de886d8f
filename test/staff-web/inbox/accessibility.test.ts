/**
 * The inbox pages inside the console's own frame and stylesheets, checked by axe-core in Chromium
 * on a phone's screen and a desk's: no violation of WCAG 2.1 A/AA rules on the list (with cards, a late one,
 * the filter form and paging) or on a ticket page (history, internal note, every action form), in
 * Chinese and in English. Skipped without Chromium, like the other browser tests.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFilterOptions, listTickets } from '../../../src/staff-web/inbox/ticket-list.js';
import { ticketListView } from '../../../src/staff-web/inbox/ticket-list-view.js';
import { ticketPageView } from '../../../src/staff-web/inbox/ticket-page-view.js';
import { loadStaffTicket } from '../../../src/staff-web/inbox/ticket-view.js';
import type { SafeHtml } from '../../../src/staff-web/shell/html.js';
import { renderStaffPage } from '../../../src/staff-web/shell/layout.js';
import { haveChromium, launchChromium, openPage } from '../../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { act, file, HOUR, seedInboxWorld, viewerOf, wordsOf, type InboxWorld } from './support.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const STYLESHEETS = ['staff.css', 'inbox.css'].map((name) => join(import.meta.dirname, '..', '..', '..', 'src', 'staff-web', 'public', name));

interface AxeViolation {
  id: string;
  nodes: { target: string[] }[];
}

describe.skipIf(!haveChromium)('the inbox pages under axe-core, in Chromium', () => {
  let db: TestDatabase;
  let w: InboxWorld;
  let browser: Browser;
  const pages: { name: string; html: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    const prisma = db.prisma;
    w = await seedInboxWorld(prisma);
    const at = (hours: number) => new Date(w.now.getTime() + hours * HOUR);
    const late = await file(prisma, w, w.residents.zhang, { at: at(0), description: '<b>楼道灯</b>坏了三天了', photos: [`uploads/${'b'.repeat(32)}.jpg`] });
    await file(prisma, w, w.residents.zhao, { at: at(2), description: '电梯坏了', place: '5号楼东侧' });
    await act(prisma, w, w.residents.steward, late.ticketId, 'note', at(3), { text: '电工周三有空' });
    await act(prisma, w, w.residents.steward, late.ticketId, 'reply', at(4), { text: '周三上午来修' });
    const now = at(30);
    for (const locale of ['zh-CN', 'en']) {
      const viewer = await viewerOf(prisma, w.residents.committee, now, locale);
      const t = wordsOf(locale);
      const ctx = { t, viewer, csrfToken: 'token', now };
      const frame = (title: string, main: SafeHtml) =>
        renderStaffPage({ t, locale, communityName: '测试社区', title, viewer, csrfToken: 'token', section: 'inbox', main });
      const list = await listTickets(prisma, { communityId: w.communityId, actor: viewer.actor, now });
      const options = await listFilterOptions(prisma, w.communityId);
      pages.push({ name: `list ${locale}`, html: frame(t('staffweb.inbox.title'), ticketListView({ list: { ...list, pageCount: 3, total: 120 }, options }, ctx)) });
      const empty = await listTickets(prisma, { communityId: w.communityId, actor: viewer.actor, filter: { q: '没有这种事' }, now });
      pages.push({ name: `empty list ${locale}`, html: frame(t('staffweb.inbox.title'), ticketListView({ list: empty, options }, ctx)) });
      const result = await prisma.$transaction((tx) => loadStaffTicket(tx, { communityId: w.communityId, actor: viewer.actor, number: late.number, now }));
      if (result.status !== 'ok') throw new Error(result.status);
      pages.push({ name: `ticket ${locale}`, html: frame(late.number, ticketPageView(result.ticket, ctx)) });
    }
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await db?.close();
  });

  for (const viewport of [
    { width: 375, height: 740 },
    { width: 1280, height: 800 },
  ]) {
    it(`finds no violation at ${viewport.width}×${viewport.height}`, async () => {
      const found: Record<string, string[]> = {};
      const { page } = await openPage(browser, viewport);
      for (const { name, html } of pages) {
        await page.setContent(html);
        // The console's own stylesheets, so colour contrast is judged as staff will see it.
        for (const sheet of STYLESHEETS) await page.addStyleTag({ path: sheet });
        await page.addScriptTag({ path: axePath });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
          const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
          return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) }));
        });
        if (violations.length > 0) found[name] = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
      await page.context().close();
      expect(found).toEqual({});
    }, 120_000);
  }
});
