/**
 * The monthly disclosure notice through the whole app: a fund whose last month's notice was never
 * sent (the server was down on the 1st) — the app's start sends it, as a bulk send, and the
 * resident reads it in the web chat; starting the app again sends nothing more.
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
// The notice's hour at midnight: whatever time the test runs, last month's moment has passed.
const APP_ENV = { FLOOD_MAX_MESSAGES: '1000', DIGEST_HOUR: '0' };

describe.each(databaseTargets())('the monthly disclosure through the app (%s)', (target) => {
  let db: TestDatabase;
  let people: InboxPeople;
  let sessionId: string;
  const running: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(target);
    const first = await startTestApp(target, APP_ENV, db);
    const prisma = db.prisma;
    const communityId = first.app.communityId;
    people = await seedInboxPeople(prisma, communityId);
    const person = new WebPerson(first.app);
    sessionId = person.sessionId;
    await bindAccount(prisma, communityId, 'web', sessionId, people.residentId);
    const now = new Date();
    // Paid in last month; the fund was set up well before it.
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
    const second = await startTestApp(target, APP_ENV, db);
    running.push(second);
    const resident = Object.assign(new WebPerson(second.app), { sessionId });
    const month = lastFullMonth(new Date(), TZ);
    const notice = await waitFor(async () => (await resident.received()).find((m) => m.text.includes('居务公开')), 'the disclosure notice');
    expect(notice.text).toContain(`物业基金${month.year}年${month.month}月收支`);
    expect(notice.text).toContain('本月收入：¥10.00（1户缴纳，共2户）');
    await second.close({ keepDatabase: true });
    running.pop();

    const third = await startTestApp(target, APP_ENV, db);
    running.push(third);
    expect(await db.prisma.bulkSend.count({ where: { purpose: 'fund_disclosure' } })).toBe(1);
    expect(await db.prisma.fundDisclosure.count()).toBe(1);
    expect((await resident.received()).filter((m) => m.text.includes('居务公开'))).toHaveLength(1);
  });
});
