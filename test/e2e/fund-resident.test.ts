/**
 * A resident asks about the property fund in the web chat (物业基金, /fund): someone whose home
 * pays into the fund reads this month's figures in the notice's words, pending expenses apart;
 * someone living elsewhere is told their area has none; a visitor is led to binding first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFund } from '../../src/features/fund/ledger/fund-lookup.js';
import { recordContribution } from '../../src/features/fund/ledger/record-contribution.js';
import { recordExpense } from '../../src/features/fund/ledger/record-expense.js';
import { setUpFund } from '../../src/features/fund/ledger/setup-fund.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../inbox/support.js';

const OPERATOR = { kind: 'operator' } as const;

describe.each(databaseTargets())('the property fund in the web chat (%s)', (target) => {
  let test: TestApp;
  let people: InboxPeople;
  let elsewhere: InboxPeople;

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' });
    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    people = await seedInboxPeople(prisma, communityId);
    elsewhere = await seedInboxPeople(prisma, communityId);
    const zone = await prisma.area.findUniqueOrThrow({ where: { id: people.areaId } });
    const now = new Date();
    await prisma.$transaction(async (tx) => {
      await setUpFund(tx, { communityId, actor: OPERATOR, areaPath: zone.path, approvalThresholdFen: 50_000, now });
      const fund = await findFund(tx, communityId);
      const household = await tx.household.findUniqueOrThrow({ where: { id: people.householdId } });
      await recordContribution(tx, { fund, actor: OPERATOR, householdCode: household.code, amountFen: 1000, paidOn: now, now });
      await recordExpense(tx, { fund, actor: OPERATOR, amountFen: 300, purpose: '更换路灯灯泡', spentOn: now, now });
      await recordExpense(tx, { fund, actor: OPERATOR, amountFen: 90_000, purpose: '更换巷道主水管', spentOn: now, now });
    });
  });
  afterAll(() => test?.close());

  it("shows a resident of the fund's area this month's figures, the pending expense not counted", async () => {
    const person = new WebPerson(test.app);
    await bindAccount(test.app.database.prisma, test.app.communityId, 'web', person.sessionId, people.residentId);
    const [reply] = await person.ask('物业基金', 2);
    const text = reply!.text;
    expect(text).toMatch(/^【居务公开】团结片区\d+物业基金\d{4}年\d{1,2}月收支/);
    expect(text).toContain('本月收入：¥10.00（1户缴纳，共2户）');
    expect(text).toContain('本月支出：¥3.00');
    expect(text).toContain('更换巷道主水管 ¥900.00（待一事一议，未计入）');
    expect(text).toContain('本月结余：¥7.00');
    expect(text).toContain('待一事一议决定：1项，共¥900.00（决定前不计入支出）');
  });

  it('tells a resident of another area that it has no fund', async () => {
    const person = new WebPerson(test.app);
    await bindAccount(test.app.database.prisma, test.app.communityId, 'web', person.sessionId, elsewhere.residentId);
    const [reply] = await person.ask('/fund', 2);
    expect(reply!.text).toContain('您家所在的片区没有物业基金');
  });

  it('leads a visitor to binding first', async () => {
    const person = new WebPerson(test.app);
    const replies = await person.ask('物业基金', 1);
    expect(replies[0]!.text).toContain('这项服务只对本社区已绑定的居民开放');
    expect(replies.map((r) => r.text).join('\n')).not.toContain('居务公开');
  });
});
