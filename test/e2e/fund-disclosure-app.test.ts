/**
 * The monthly disclosure notice through the whole app, on a fake clock: a fund whose November
 * notice was never sent (the server was down on the 1st) — the app's start sends it, as a bulk
 * send, and the resident reads it in the web chat; starting the app again sends nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFund } from '../../src/features/fund/ledger/fund-lookup.js';
import { recordContribution } from '../../src/features/fund/ledger/record-contribution.js';
import { setUpFund } from '../../src/features/fund/ledger/setup-fund.js';
import { lastFullMonth } from '../../src/features/fund/rules/fund-month.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { waitFor } from '../support/wait-for.js';

const OPERATOR = { kind: 'operator' } as const;
const TZ = 'Asia/Shanghai';
const DAY_MS = 24 * 3600_000;
const APP_ENV = { FLOOD_MAX_MESSAGES: '1000', DIGEST_HOUR: '8' };
/** The app's clock: 3 December 2026, noon in Shanghai — November's notice (due on the 1st at 08:00) was missed. */
const NOW = new Date('2026-12-03T12:00:00+08:00');
const OPTIONS = { clock: () => NOW };

describe.each(databaseTargets())('the monthly disclosure through the app (%s)', (target) => {
  let db: TestDatabase;
  let people: InboxPeople;
  let sessionId: string;
  const running: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(target);
    const first = await startTestApp(target, APP_ENV, db, OPTIONS);
    const prisma = db.prisma;
    const communityId = first.app.communityId;
    people = await seedInboxPeople(prisma, communityId);
    const person = new WebPerson(first.app);
    sessionId = person.sessionId;
    await bindAccount(prisma, communityId, 'web', sessionId, people.residentId);
    const now = NOW;
    // Paid in November; the fund was set up well before it.
    const month = lastFullMonth(now, TZ);
    await prisma.$transaction(async (tx) => {
      const zone = await tx.area.findUniqueOrThrow({ where: { id: people.areaId } });
      await setUpFund(tx, { communityId, actor: OPERATOR, areaPath: zone.path, now });
      await tx.propertyFund.updateMany({ where: { communityId }, data: { createdAt: new Date(month.from.getTime() - 60 * DAY_MS) } });
      const fund = await findFund(tx, communityId);
      const household = await tx.household.findUniqueOrThrow({ where: { id: people.householdId } });
      await recordContribution(tx, { fund, actor: OPERATOR, householdCode: household.code, amountFen: 1000, paidOn: new Date(month.from.getTime() + DAY_MS), now });
    });
    await first.close({ keepDatabase: true });
  });
  afterAll(async () => {
    for (const test of running) await test.close({ keepDatabase: true });
    await db?.close();
  });

  it("sends last month's notice at start when it was never sent, and a restart sends none again", async () => {
    const second = await startTestApp(target, APP_ENV, db, OPTIONS);
    running.push(second);
    const resident = Object.assign(new WebPerson(second.app), { sessionId });
    const notice = await waitFor(async () => (await resident.received()).find((m) => m.text.includes('居务公开')), 'the disclosure notice');
    expect(notice.text).toMatch(/^【居务公开】团结片区\d+物业基金2026年11月收支/);
    expect(notice.text).toContain('本月收入：¥10.00（1户缴纳，共2户）');
    await second.close({ keepDatabase: true });
    running.pop();

    const third = await startTestApp(target, APP_ENV, db, OPTIONS);
    running.push(third);
    expect(await db.prisma.bulkSend.count({ where: { purpose: 'fund_disclosure' } })).toBe(1);
    expect(await db.prisma.fundDisclosure.count()).toBe(1);
    expect((await resident.received()).filter((m) => m.text.includes('居务公开'))).toHaveLength(1);
  });
});
