/**
 * The figures on a real database, tickets filed and handled by the ticket service at fixed
 * instants, read on Wednesday 10 June 2026 at noon (China Standard Time):
 *
 *   "this week" = Thursday 4 June 00:00 until now; the week before = 28 May 00:00 – 4 June 00:00.
 *
 *   before  Wang (平房区), water, filed 3 June 23:59 — never answered: open and overdue now
 *   first   Wang (平房区), water, filed 4 June 00:00 — answered after 10 min, resolved 5 June, 5 stars
 *   zhang   Zhang (平房区), other, filed 8 June 09:00 — answered after 30 min, still open (not late)
 *   zhao    Zhao (楼寓), water, filed 9 June 08:00 — answered after 100 min, resolved, 2 stars
 *   place   the committee, other, about a place (no area), filed 10 June 08:00 — open, not late
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFigureCharts } from '../../../src/staff-web/figures/charts.js';
import { figuresWorkbook } from '../../../src/staff-web/figures/figures-xlsx.js';
import { can } from '../../../src/features/policy/policy.js';
import { loadTicketSubject } from '../../../src/features/tickets/service/index.js';
import { loadFigures, median, type Figures, type FiguresResult } from '../../../src/staff-web/figures/figures.js';
import type { FigurePeriodKind } from '../../../src/staff-web/figures/figure-periods.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { at, seedFiguresCommunity, TIMEZONE, translate, type FiguresCommunity } from './support.js';

const NOW = at('2026-06-10T12:00:00');

function ok(result: FiguresResult): Figures {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.figures;
}

describe('median', () => {
  it('takes the middle of an odd count, the mean of the two middles of an even count, and nothing of none', () => {
    expect(median([100, 10, 30])).toBe(30);
    expect(median([30, 10])).toBe(20);
    expect(median([])).toBeNull();
  });
});

describe.each(databaseTargets())('figures on %s', (target) => {
  let db: TestDatabase;
  let c: FiguresCommunity;
  const tickets: Record<string, string> = {};
  const figuresOf = async (residentId: string, period: FigurePeriodKind = 'week', endingAt = NOW, community = c) =>
    loadFigures(db.prisma, { communityId: community.communityId, actor: await community.actorOf(residentId, endingAt), period, endingAt, timezone: TIMEZONE });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedFiguresCommunity(db);
    const r = c.residents;
    tickets['before'] = (await c.file(r.wang, at('2026-06-03T23:59:00'), 'water')).ticketId;

    tickets['first'] = (await c.file(r.wang, at('2026-06-04T00:00:00'), 'water')).ticketId;
    await c.staff('reply', tickets['first'], at('2026-06-04T00:10:00'));
    await c.staff('resolve', tickets['first'], at('2026-06-05T10:00:00'));
    await c.rate(r.wang, tickets['first'], 5, at('2026-06-05T12:00:00'));

    tickets['zhang'] = (await c.file(r.zhang, at('2026-06-08T09:00:00'), 'other')).ticketId;
    await c.staff('reply', tickets['zhang'], at('2026-06-08T09:30:00'));

    tickets['zhao'] = (await c.file(r.zhao, at('2026-06-09T08:00:00'), 'water')).ticketId;
    await c.staff('reply', tickets['zhao'], at('2026-06-09T09:40:00'));
    await c.staff('resolve', tickets['zhao'], at('2026-06-09T10:00:00'));
    await c.rate(r.zhao, tickets['zhao'], 2, at('2026-06-09T11:00:00'));

    tickets['place'] = (await c.file(r.committee, at('2026-06-10T08:00:00'), 'other', '小区东门路口')).ticketId;
  }, 120_000);
  afterAll(() => db?.close());

  it('counts the whole community for the committee: each figure of this week and of the week before', async () => {
    const f = ok(await figuresOf(c.residents.committee));
    expect(f.current).toEqual({ from: at('2026-06-04T00:00:00'), to: NOW });
    expect(f.previous).toEqual({ from: at('2026-05-28T00:00:00'), to: at('2026-06-04T00:00:00') });
    expect(f.scope).toEqual({ kind: 'community' });
    expect(f.totals).toEqual({
      // Filed at 23:59 the day before the week began: not this week's; at 00:00: this week's.
      new: 4,
      open: 3,
      overdue: 1,
      resolved: 2,
      firstResponses: 3,
      medianFirstResponseMinutes: 30,
      satisfaction: { ratings: 2, satisfied: 1, share: 0.5, averageStars: 3.5 },
    });
    expect(f.previousTotals).toEqual({
      new: 1,
      // Open at the week's end, but its deadline (00:59) had not come yet.
      open: 1,
      overdue: 0,
      resolved: 0,
      firstResponses: 0,
      medianFirstResponseMinutes: null,
      satisfaction: { ratings: 0, satisfied: 0, share: null, averageStars: null },
    });
  });

  it('breaks the figures down by zone and by category, busiest first, and counts new and resolved per local day', async () => {
    const f = ok(await figuresOf(c.residents.admin));
    expect(f.byArea.map((g) => [g.key, g.new, g.open, g.overdue, g.resolved, g.medianFirstResponseMinutes])).toEqual([
      ['平房区', 2, 2, 1, 1, 20],
      ['', 1, 1, 0, 0, null],
      ['楼寓', 1, 0, 0, 1, 100],
    ]);
    expect(f.byCategory.map((g) => [g.key, g.new, g.open, g.satisfaction.share])).toEqual([
      ['other', 2, 2, null],
      ['water', 2, 1, 0.5],
    ]);
    expect(f.daily).toEqual([
      { date: '2026-06-04', new: 1, resolved: 0 },
      { date: '2026-06-05', new: 0, resolved: 1 },
      { date: '2026-06-06', new: 0, resolved: 0 },
      { date: '2026-06-07', new: 0, resolved: 0 },
      { date: '2026-06-08', new: 1, resolved: 0 },
      { date: '2026-06-09', new: 1, resolved: 1 },
      { date: '2026-06-10', new: 1, resolved: 0 },
    ]);
  });

  it('exports the same numbers to the workbook and draws the community’s own category names', async () => {
    const f = ok(await figuresOf(c.residents.committee));
    const { buffer } = await figuresWorkbook(f, { t: translate('en'), locale: 'en' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    const summary = book.getWorksheet('Summary')!;
    const byName = new Map<string, unknown[]>();
    summary.eachRow((row) => {
      const [name, ...values] = (row.values as unknown[]).slice(1);
      byName.set(String(name), values);
    });
    expect(byName.get('New')).toEqual([4, 1]);
    expect(byName.get('Resolved')).toEqual([2, 0]);
    expect(byName.get('Open (now)')).toEqual([3, 1]);
    expect(byName.get('Overdue (now)')).toEqual([1, 0]);
    expect(byName.get('Median first response (minutes)')).toEqual([30]);
    expect(byName.get('Satisfied')).toEqual([0.5]);
    const byCategory: unknown[][] = [];
    book.getWorksheet('By category')!.eachRow((row) => byCategory.push((row.values as unknown[]).slice(1, 4)));
    expect(byCategory).toEqual([
      ['Category', 'New', 'Open (now)'],
      ['Other', 2, 2],
      ['Water supply', 2, 1],
    ]);
    const charts = await renderFigureCharts(f, { t: translate('zh-CN'), locale: 'zh-CN' });
    expect(charts.byCategory!.value).toContain('>供水</text>');
    expect(charts.byArea!.value).toContain('>平房区</text>');
  });

  it('shows a steward only their area: the median of an even count is the mean of the middle two', async () => {
    const f = ok(await figuresOf(c.residents.steward));
    expect(f.scope).toEqual({ kind: 'areas', areaPaths: ['平房区/团结巷'] });
    expect(f.totals).toMatchObject({ new: 2, open: 2, overdue: 1, resolved: 1, firstResponses: 2, medianFirstResponseMinutes: 20 });
    expect(f.totals.satisfaction).toEqual({ ratings: 1, satisfied: 1, share: 1, averageStars: 5 });
    expect(f.byArea.map((g) => g.key)).toEqual(['平房区']);

    // The scope agrees with the policy: every ticket counted is one the steward may view (and its
    // area's figures theirs to read); none left out is.
    const steward = await c.actorOf(c.residents.steward, NOW);
    const counted = new Set([tickets['before'], tickets['first'], tickets['zhang']]);
    for (const [name, id] of Object.entries(tickets)) {
      const subject = (await loadTicketSubject(db.prisma, c.communityId, id!))!;
      const inArea = subject.areaIds.length > 0 && can(steward, 'digest.view', { communityId: c.communityId, areaIds: subject.areaIds }, { now: NOW });
      expect({ name, counted: counted.has(id!) }).toEqual({ name, counted: inArea });
      if (counted.has(id!)) expect(can(steward, 'ticket.view', subject, { now: NOW })).toBe(true);
    }
    // The committee's own place report and Zhao's ticket in the other zone are not the steward's to view.
    for (const name of ['place', 'zhao']) {
      const subject = (await loadTicketSubject(db.prisma, c.communityId, tickets[name]!))!;
      expect(can(steward, 'ticket.view', subject, { now: NOW })).toBe(false);
    }
  });

  it('shows a council member of the zone the zone’s tickets', async () => {
    const f = ok(await figuresOf(c.residents.council));
    expect(f.scope).toEqual({ kind: 'areas', areaPaths: ['平房区'] });
    expect(f.totals.new).toBe(2);
  });

  it('refuses residents, and leaves an audit row of the refusal', async () => {
    const result = await figuresOf(c.residents.zhang);
    expect(result).toEqual({ ok: false, reason: 'role_required' });
    const rows = await db.prisma.auditLog.findMany({ where: { communityId: c.communityId, action: 'digest.view', actorId: c.residents.zhang } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ denied: true, reason: 'role_required' });
  });

  it('counts this month from the 1st at local midnight: a minute before is last month’s', async () => {
    const m = await seedFiguresCommunity(db);
    await m.file(m.residents.wang, at('2026-05-31T23:59:00'), 'other');
    await m.file(m.residents.wang, at('2026-06-01T00:00:00'), 'other');
    const f = ok(await figuresOf(m.residents.committee, 'month', NOW, m));
    expect(f.current).toEqual({ from: at('2026-06-01T00:00:00'), to: NOW });
    expect(f.previous).toEqual({ from: at('2026-05-01T00:00:00'), to: at('2026-06-01T00:00:00') });
    expect(f.totals.new).toBe(1);
    expect(f.previousTotals.new).toBe(1);
    expect(f.daily.map((d) => d.date)).toEqual(['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06', '2026-06-07', '2026-06-08', '2026-06-09', '2026-06-10']);
    expect(f.daily[0]).toEqual({ date: '2026-06-01', new: 1, resolved: 0 });
    // Nothing answered: no median (never 0 minutes).
    expect(f.totals.medianFirstResponseMinutes).toBeNull();
  });

  it('times a reopened ticket’s first response from the reopening, not from the filing', async () => {
    const m = await seedFiguresCommunity(db);
    const { ticketId } = await m.file(m.residents.wang, at('2026-06-05T10:00:00'), 'water');
    await m.staff('reply', ticketId, at('2026-06-05T10:20:00'));
    await m.staff('resolve', ticketId, at('2026-06-05T11:00:00'));
    await m.write(m.residents.wang, ticketId, at('2026-06-06T09:00:00'));
    await m.staff('reply', ticketId, at('2026-06-06T09:45:00'));
    const f = ok(await figuresOf(m.residents.committee, 'week', NOW, m));
    expect(f.totals).toMatchObject({ firstResponses: 1, medianFirstResponseMinutes: 45, open: 1, resolved: 0 });
  });
});
