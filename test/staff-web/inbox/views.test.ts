/**
 * The inbox pages as HTML, from data read out of a real database: what a resident wrote shows as
 * text (never markup), every form that changes something carries the CSRF field, the page offers
 * only the actions allowed, internal notes are labelled in words, late tickets are marked in words
 * as well as by class, phones stay masked, and the markup keeps to what the strict policy and the
 * accessibility check ask (labels for every field, headings in order, no inline style or script).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listFilterOptions, listTickets, TICKET_PAGE_SIZE, type TicketList } from '../../../src/staff-web/inbox/ticket-list.js';
import { listQuery, ticketListView } from '../../../src/staff-web/inbox/ticket-list-view.js';
import { ticketPageView } from '../../../src/staff-web/inbox/ticket-page-view.js';
import { loadStaffTicket, type StaffTicket } from '../../../src/staff-web/inbox/ticket-view.js';
import type { StaffViewer } from '../../../src/staff-web/shell/viewer.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { act, file, HOUR, seedInboxWorld, viewerOf, wordsOf, type InboxWorld } from './support.js';

const CSRF = 'tok-3f9a"<x>';
const SCRIPT = '<script>alert("x")</script>';

/** Every `<form …>…</form>` with `method="post"`. */
function postForms(page: string): string[] {
  return [...page.matchAll(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
}

/** What the accessibility check and the Content-Security-Policy will insist on, checked on the markup. */
function expectCleanMarkup(page: string): void {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/\sstyle=/i);
  expect(page).not.toMatch(/\son[a-z]+=/i);
  for (const [, id] of page.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g)) {
    expect(page, `a label for #${id}`).toContain(`for="${id}"`);
  }
  for (const field of page.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*>/g)) expect(field[0]).toMatch(/\bid="/);
  const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
  expect(levels[0]).toBe(1);
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
}

describe.each(databaseTargets())('the inbox pages on %s', (target) => {
  let db: TestDatabase;
  let w: InboxWorld;
  const prisma = () => db.prisma;
  const at = (hours: number) => new Date(w.now.getTime() + hours * HOUR);
  const ctx = (viewer: StaffViewer, now: Date) => ({ t: wordsOf(viewer.locale), viewer, csrfToken: CSRF, now });

  const renderList = async (residentId: string, now: Date, filter: Parameters<typeof listTickets>[1]['filter'] = {}, locale = 'zh-CN') => {
    const viewer = await viewerOf(prisma(), residentId, now, locale);
    const list = await listTickets(prisma(), { communityId: w.communityId, actor: viewer.actor, filter, now });
    const options = await listFilterOptions(prisma(), w.communityId);
    return ticketListView({ list, options }, ctx(viewer, now)).value;
  };
  const loadTicket = async (residentId: string, number: string, now: Date, locale = 'zh-CN'): Promise<{ ticket: StaffTicket; viewer: StaffViewer }> => {
    const viewer = await viewerOf(prisma(), residentId, now, locale);
    const result = await prisma().$transaction((tx) => loadStaffTicket(tx, { communityId: w.communityId, actor: viewer.actor, number, now }));
    if (result.status !== 'ok') throw new Error(result.status);
    return { ticket: result.ticket, viewer };
  };
  const renderTicket = async (residentId: string, number: string, now: Date, locale = 'zh-CN') => {
    const { ticket, viewer } = await loadTicket(residentId, number, now, locale);
    return ticketPageView(ticket, ctx(viewer, now)).value;
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    w = await seedInboxWorld(prisma());
  });

  describe('the list', () => {
    it('shows cards with the words as text, late ones marked, the counts and how many there are', async () => {
      const late = await file(prisma(), w, w.residents.wang, { at: at(0), description: `${SCRIPT} 井盖松了` });
      const fresh = await file(prisma(), w, w.residents.zhao, { at: at(20), description: '电梯坏了', place: '5号楼东侧' });
      const page = await renderList(w.residents.committee, at(24));

      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 井盖松了');
      expect(page).not.toContain(SCRIPT);
      const cards = [...page.matchAll(/<li class="(inbox-card[^"]*)">[\s\S]*?<\/li>/g)];
      expect(cards.map((c) => c[1])).toEqual(['inbox-card', 'inbox-card inbox-card-overdue']);
      expect(cards[1]![0]).toContain('<strong class="inbox-badge inbox-badge-overdue">已超时</strong>');
      expect(cards[1]![0]).toContain('超时未答复');
      expect(cards[0]![0]).toContain('楼寓/5号楼 · 5号楼东侧');
      expect(page).toContain(`<a href="/staff/tickets/${fresh.number}" data-card>${fresh.number}</a>`);
      expect(page).toContain(`href="/staff/tickets/${late.number}"`);
      expect(page).toMatch(/已超时 <span class="inbox-count">1<\/span>/);
      expect(page).toMatch(/在办 <span class="inbox-count">2<\/span>/);
      expect(page).toContain('显示第1–2件，共2件');
      // Filed at 12:00 Beijing time (04:00 UTC), shown in the community's zone.
      expect(page).toContain(`<time datetime="${at(0).toISOString()}">2026-06-01 12:00</time>`);
      expect(page).toContain('<form class="inbox-filter" method="get" action="/staff"');
      expect(page).toContain('data-shortcut="/"');
      expect(page).toContain('<details class="inbox-filter-more"><summary>更多筛选</summary>');
      expect(page).toContain('data-live-watch="ticket"');
      expect(page).toContain('data-live="inbox-results"');
      expect(page).toContain('<kbd>j</kbd>');
      expect(postForms(page)).toEqual([]);
      expectCleanMarkup(page);
    });

    it('keeps the search and filters in the form and in the quick filters’ links', async () => {
      await file(prisma(), w, w.residents.zhang, { at: at(0), description: '厨房漏水' });
      const page = await renderList(w.residents.committee, at(1), { q: '漏水"<', category: 'other', mine: true });
      expect(page).toContain('value="漏水&quot;&lt;"');
      expect(page).toContain('<option value="other" selected>其他</option>');
      expect(page).toMatch(/id="inbox-mine" name="mine" value="1" checked/);
      expect(page).toContain('<details class="inbox-filter-more" open>');
      expect(page).toContain(`href="${listQuery({ state: 'open', areaId: null, category: 'other', overdue: true, mine: false, unassigned: false, q: '漏水"<' }).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')}"`);
      expect(page).toContain('aria-current="page">我负责的');
      expect(page).toContain('没有符合条件的工单。');
      expectCleanMarkup(page);
    });

    it('says so when there is nothing to do, in the viewer’s language', async () => {
      expect(await renderList(w.residents.committee, at(1))).toContain('目前没有在办的工单。');
      const english = await renderList(w.residents.committee, at(1), {}, 'en');
      expect(english).toContain('No open tickets right now.');
      expect(english).toContain('<h1 id="inbox-title">Tickets</h1>');
    });

    it('pages with links that keep the filter', async () => {
      await file(prisma(), w, w.residents.zhang, { at: at(0) });
      const viewer = await viewerOf(prisma(), w.residents.committee, at(1));
      const real = await listTickets(prisma(), { communityId: w.communityId, actor: viewer.actor, now: at(1) });
      // The page's arithmetic, not 120 filings: one real card standing for page 2 of 3.
      const list: TicketList = { ...real, total: 2 * TICKET_PAGE_SIZE + 20, page: 2, pageCount: 3, filter: { ...real.filter, q: '灯' } };
      const page = ticketListView({ list, options: await listFilterOptions(prisma(), w.communityId) }, ctx(viewer, at(1))).value;
      expect(page).toContain('显示第51–51件，共120件');
      expect(page).toContain(`<a href="/staff?q=%E7%81%AF" rel="prev">上一页</a>`);
      expect(page).toContain(`<a href="/staff?q=%E7%81%AF&amp;page=3" rel="next">下一页</a>`);
      expect(page).toContain('第2页，共3页');
    });
  });

  describe('the ticket page', () => {
    it('shows the words as text, the note labelled internal, the phone masked, and a CSRF field in every form', async () => {
      const t = await file(prisma(), w, w.residents.zhang, { at: at(0), description: `${SCRIPT} 楼道灯坏了`, photos: [`uploads/${'a'.repeat(32)}.jpg`, 'telegram:AgAD-not-stored-here'] });
      await act(prisma(), w, w.residents.steward, t.ticketId, 'note', at(1), { text: '<b>电工</b>周三有空' });
      const page = await renderTicket(w.residents.committee, t.number, at(2));

      expect(page).not.toContain(SCRIPT);
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 楼道灯坏了');
      expect(page).toContain('&lt;b&gt;电工&lt;/b&gt;周三有空');
      const note = /<li class="inbox-event inbox-event-internal_note inbox-event-internal">[\s\S]*?<\/li>/.exec(page);
      expect(note?.[0]).toContain('<strong class="inbox-event-what inbox-internal-label">内部备注（居民看不到）</strong>');
      expect(page.match(/inbox-event-internal"/g)).toHaveLength(1);
      expect(page).toContain('138****5678');
      expect(page).toContain('张**');
      expect(page).not.toContain('13812345678');
      expect(page).not.toContain('张三丰');
      expect(page).toContain(`<li><a href="/staff/photos/${'a'.repeat(32)}.jpg">照片1</a></li><li>照片2</li>`);
      expect(page).toContain(`data-live-watch="ticket:${t.ticketId}"`);
      expect(page).toContain('data-live="inbox-timeline"');
      // The forms are a live part too: a change made in a staff chat brings the forms that fit.
      expect(page).toContain('data-live="inbox-actions"');

      const forms = postForms(page);
      const actions = forms.map((f) => /action="\/staff\/tickets\/[^/]+\/actions\/([a-z_]+)"/.exec(f)?.[1]);
      expect(actions).toEqual(['reveal_phone', 'reply', 'note', 'claim', 'assign', 'major', 'resolve', 'merge']);
      for (const form of forms) expect(form).toContain('<input type="hidden" name="_csrf" value="tok-3f9a&quot;&lt;x&gt;">');
      expect(page).toMatch(/<textarea id="inbox-reply-text" name="text"[^>]*required data-shortcut="r">/);
      expect(page).toMatch(/<textarea id="inbox-note-text" name="text"[^>]*data-shortcut="n">/);
      expect(page).toMatch(/<textarea id="inbox-resolve-text" name="text"[^>]*required>/);
      expect(page).toContain('<button type="submit" data-shortcut="c">认领这件工单</button>');
      expect(page).toMatch(/<select id="inbox-assign-to" name="assigneeId" required>[\s\S]*<option value="[^"]+" selected>钱包片<\/option>/);
      expect(page).toMatch(/<input type="text" id="inbox-merge-into" name="into" required/);
      expect(page).toContain('<kbd>r</kbd>');
      expectCleanMarkup(page);
    });

    it('offers a resolved ticket’s reopening and not its resolution; one outside the viewer’s reach offers no phone', async () => {
      const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
      await act(prisma(), w, w.residents.steward, t.ticketId, 'resolve', at(1), { text: '已换灯泡' });
      const page = await renderTicket(w.residents.steward, t.number, at(2));
      const actions = postForms(page).map((f) => /\/actions\/([a-z_]+)"/.exec(f)?.[1]);
      expect(actions).toEqual(['reveal_phone', 'reply', 'note', 'reopen']);
      expect(page).toContain('已办结');
      expect(page).toMatch(/inbox-deadline-met/);
      expect(page).not.toContain('data-shortcut="c"');

      await act(prisma(), w, w.residents.committee, t.ticketId, 'reopen', at(3));
      await act(prisma(), w, w.residents.committee, t.ticketId, 'assign', at(3.5), { assigneeId: w.stewardB });
      const theirs = await renderTicket(w.stewardB, t.number, at(4));
      expect(postForms(theirs).map((f) => /\/actions\/([a-z_]+)"/.exec(f)?.[1])).not.toContain('reveal_phone');
      expectCleanMarkup(theirs);
    });

    it('shows deadlines with time left and overdue by, in English too', async () => {
      const t = await file(prisma(), w, w.residents.wang, { at: at(0) });
      const running = await renderTicket(w.residents.committee, t.number, at(21.5));
      expect(running).toContain('还剩2小时30分钟');
      expect(await renderTicket(w.residents.committee, t.number, at(21))).toContain('还剩3小时<');
      const late = await renderTicket(w.residents.committee, t.number, at(24 + 26), 'en');
      expect(late).toContain('<strong>overdue by 1 d 2 h</strong>');
      expect(late).toContain('<h1 id="inbox-ticket-title">Ticket MQ-2026-00001</h1>');
      expectCleanMarkup(late);
    });

    it('lists the household’s earlier tickets with links', async () => {
      const first = await file(prisma(), w, w.residents.zhang, { at: at(0) });
      const second = await file(prisma(), w, w.residents.li, { at: at(1) });
      const page = await renderTicket(w.residents.committee, second.number, at(2));
      expect(page).toContain(`<a href="/staff/tickets/${first.number}">${first.number}</a> · 待受理 · 其他`);
      expect(page).toContain('显示最近1件，共1件');
    });
  });
});
