/**
 * The satisfaction alert (docs/domain.md rule 5) on a real database: strictly below 60 % alerts the
 * committee once; 60 % exactly does not; a further low rating does not alert again; measuring
 * 60 % or more re-arms it. Per staff member (the one who resolved) and for the committee.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentDown } from '../../../../src/features/tickets/scheduling/satisfaction-watch.js';
import { databaseTargets } from '../../../support/database.js';
import { openSchedulingHarness, type SchedulingHarness } from './harness.js';
import { createTicket, outboxTexts, seedTicketCommunity, STAFF_CHAT_ID, type SeededCommunity } from './seed.js';

describe('percentDown', () => {
  it('never shows an alerting rate as 60', () => {
    expect(percentDown({ satisfied: 599, total: 1000 })).toBe('59.9');
    expect(percentDown({ satisfied: 5999, total: 10000 })).toBe('59.9');
    expect(percentDown({ satisfied: 5, total: 10 })).toBe('50');
    expect(percentDown({ satisfied: 2, total: 3 })).toBe('66.6');
  });
});

describe.each(databaseTargets())('satisfaction alerts on %s', (target) => {
  let h: SchedulingHarness;
  const prisma = () => h.db.prisma;

  beforeAll(async () => {
    h = await openSchedulingHarness(target, { workers: false });
  });
  afterAll(() => h?.close());

  /** A resolved ticket rated `stars`, a few minutes ago; returns its id. */
  async function rated(c: SeededCommunity, stars: number, resolvedById: string, minutesAgo = 5): Promise<string> {
    const at = new Date(Date.now() - minutesAgo * 60_000);
    const ticket = await createTicket(prisma(), c.communityId, {
      status: 'resolved',
      firstResponseDueAt: new Date(at.getTime() - 86_400_000),
      firstRespondedAt: new Date(at.getTime() - 86_400_000),
      resolvedAt: at,
      finishedAt: at,
      resolvedById,
      rating: stars,
      ratedAt: at,
    });
    return ticket.id;
  }

  async function record(ticketId: string) {
    return prisma().$transaction((tx) => h.scheduling.satisfaction.measure(tx, ticketId));
  }

  const alerts = async (c: SeededCommunity) => (await outboxTexts(prisma(), STAFF_CHAT_ID, c.communityId)).filter((m) => m.text.includes('满意率预警'));

  it('alerts once below 60 %, not at 60 %, and again only after recovering', async () => {
    const c = await seedTicketCommunity(prisma());
    const staff = c.stewardId;
    const satisfied: string[] = [];
    for (let i = 0; i < 4; i += 1) satisfied.push(await rated(c, 5, staff));
    for (let i = 0; i < 5; i += 1) await rated(c, 2, staff);
    // 4 of 9: below 60 %, but fewer than 10 ratings.
    let m = await record(satisfied[0]!);
    expect(m.measurements.map((x) => x.verdict)).toEqual(['too_few_ratings', 'too_few_ratings']);

    // Two more satisfied (4 stars counts): 6 of 11; one low rating ages out of the 90-day window: 6 of 10.
    satisfied.push(await rated(c, 4, staff));
    satisfied.push(await rated(c, 5, staff));
    const low = await prisma().ticket.findFirstOrThrow({ where: { communityId: c.communityId, rating: 2 } });
    await prisma().ticket.update({ where: { id: low.id }, data: { ratedAt: new Date(Date.now() - 91 * 86_400_000) } });
    m = await record(satisfied[5]!);
    expect(m.measurements.map((x) => [x.rate.satisfied, x.rate.total, x.verdict])).toEqual([
      [6, 10, 'ok'],
      [6, 10, 'ok'],
    ]);
    expect(await alerts(c)).toEqual([]);

    // The resident re-rates a reopened ticket: 5 of 10, strictly below 60 %.
    await prisma().ticket.update({ where: { id: satisfied[0]! }, data: { rating: 3, ratedAt: new Date() } });
    m = await record(satisfied[0]!);
    expect(m.measurements.map((x) => [x.subject.type, x.rate.satisfied, x.rate.total, x.verdict])).toEqual([
      ['committee', 5, 10, 'alert'],
      ['staff', 5, 10, 'alert'],
    ]);
    const raised = await alerts(c);
    expect(raised).toHaveLength(2);
    expect(raised[0]!.text).toContain('居委会的满意率为50%（5/10）');
    expect(raised[1]!.text).toContain('王干部');

    // Another low rating: still below, no second alert.
    const another = await rated(c, 1, staff, 1);
    m = await record(another);
    expect(m.measurements.map((x) => x.verdict)).toEqual(['still_below', 'still_below']);
    expect(await alerts(c)).toHaveLength(2);

    // Recovery to exactly 60 % re-arms (5 + 4 of 11 + 4 = 9 of 15)…
    for (let i = 0; i < 3; i += 1) await rated(c, 5, staff, 1);
    const fourth = await rated(c, 5, staff, 1);
    m = await record(fourth);
    expect(m.measurements.map((x) => [x.rate.satisfied, x.rate.total, x.verdict])).toEqual([
      [9, 15, 'ok'],
      [9, 15, 'ok'],
    ]);
    const states = await prisma().satisfactionAlert.findMany({ where: { communityId: c.communityId }, orderBy: { subjectType: 'asc' } });
    expect(states.map((s) => s.armed)).toEqual([true, true]);
    expect(await alerts(c)).toHaveLength(2);

    // …so the next fall alerts again (9 of 16).
    const fall = await rated(c, 2, staff, 1);
    m = await record(fall);
    expect(m.measurements.map((x) => x.verdict)).toEqual(['alert', 'alert']);
    expect(await alerts(c)).toHaveLength(4);
  });

  it('alerts about the one staff member below 60 % while the committee as a whole is fine', async () => {
    const c = await seedTicketCommunity(prisma());
    const colleague = await prisma().resident.create({ data: { communityId: c.communityId, name: '赵干部' } });
    for (let i = 0; i < 10; i += 1) await rated(c, 5, colleague.id);
    for (let i = 0; i < 5; i += 1) await rated(c, 5, c.stewardId);
    const last = await rated(c, 1, c.stewardId);
    for (let i = 0; i < 4; i += 1) await rated(c, 1, c.stewardId);
    const m = await record(last);
    expect(m.measurements.map((x) => [x.subject.type, x.rate.satisfied, x.rate.total, x.verdict])).toEqual([
      ['committee', 15, 20, 'ok'],
      ['staff', 5, 10, 'alert'],
    ]);
    const texts = await alerts(c);
    expect(texts.map((t) => t.text.includes('王干部'))).toEqual([true]);
  });

  it('raises one alert when two ratings land at the same moment', async () => {
    const c = await seedTicketCommunity(prisma());
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await rated(c, 5, c.stewardId));
    for (let i = 0; i < 5; i += 1) ids.push(await rated(c, 2, c.stewardId));
    const rows = await Promise.all([
      prisma().$transaction((tx) => h.scheduling.recordRatingEffects(tx, ids[8]!)),
      prisma().$transaction((tx) => h.scheduling.recordRatingEffects(tx, ids[9]!)),
    ]);
    expect(rows.flat()).toHaveLength(2);
  });

  it('without a staff chat, tells each committee member in their own chat and language', async () => {
    const c = await seedTicketCommunity(prisma(), { staffChat: false });
    await prisma().chatAccount.create({ data: { communityId: c.communityId, channel: 'telegram', externalId: 'committee-1', residentId: c.committeeId, locale: 'en' } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await rated(c, 5, c.committeeId));
    for (let i = 0; i < 5; i += 1) ids.push(await rated(c, 1, c.committeeId));
    await record(ids[9]!);
    const texts = await outboxTexts(prisma(), 'committee-1');
    expect(texts.map((t) => t.text.slice(0, 20))).toEqual(['Satisfaction alert: ', 'Satisfaction alert: ']);
  });
});
