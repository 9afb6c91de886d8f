/**
 * The fund's ledger actions on a real database: an expense linked to the repair job it paid for,
 * the committee told in the staff chat when an expense waits for a decision, numbers that never
 * repeat when expenses are recorded at once, one decision when two are taken at once, and a
 * refusal by the policy that is audited and writes nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionWithAfterCommit } from '../../../src/db/after-commit.js';
import { decideExpense } from '../../../src/features/fund/ledger/decide-expense.js';
import { FundError } from '../../../src/features/fund/ledger/fund-errors.js';
import { findFund, type FundRecord } from '../../../src/features/fund/ledger/fund-lookup.js';
import { loadFundStatement } from '../../../src/features/fund/ledger/fund-statement.js';
import { recordContribution } from '../../../src/features/fund/ledger/record-contribution.js';
import { recordExpense } from '../../../src/features/fund/ledger/record-expense.js';
import { setUpFund } from '../../../src/features/fund/ledger/setup-fund.js';
import { monthContaining } from '../../../src/features/fund/rules/fund-month.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { ChatStaffAlerts } from '../../../src/features/tickets/scheduling/staff-alerts.js';
import { seedCommunity } from '../../support/community.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedInboxPeople, type InboxPeople } from '../../inbox/support.js';
import { createTicket } from '../tickets/scheduling/seed.js';
import { translator } from '../tickets/scheduling/harness.js';

const OPERATOR = { kind: 'operator' } as const;

describe.each(databaseTargets())('the fund ledger on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  let people: InboxPeople;
  let fund: FundRecord;
  let committee: Actor;
  // Real time, taken once the staff exist: their roles begin when their rows are written.
  let NOW: Date;
  const alerts = () => ({ staffAlerts: new ChatStaffAlerts({ now: () => NOW }), translator });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma)).id;
    people = await seedInboxPeople(db.prisma, communityId);
    NOW = new Date();
    const zone = await db.prisma.area.findUniqueOrThrow({ where: { id: people.areaId } });
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'staff-room', purpose: 'staff' } });
    await db.prisma.$transaction((tx) => setUpFund(tx, { communityId, actor: OPERATOR, areaPath: zone.path, approvalThresholdFen: 50_000, now: NOW }));
    fund = await findFund(db.prisma, communityId);
    committee = (await loadActor(db.prisma, { residentId: people.chairId }, { now: NOW }))!;
  });
  afterAll(() => db?.close());

  it('links an expense to the repair job it paid for, by the job number as typed', async () => {
    const ticket = await createTicket(db.prisma, communityId, { kind: 'repair', householdId: people.householdId, firstResponseDueAt: NOW });
    const workOrder = await db.prisma.workOrder.create({ data: { communityId, ticketId: ticket.id, job: 'water_leak', status: 'done' } });
    const recorded = await db.prisma.$transaction((tx) =>
      recordExpense(tx, { fund, actor: OPERATOR, amountFen: 4_500, purpose: '水管接头', spentOn: NOW, jobNumber: ticket.number.toLowerCase(), now: NOW }),
    );
    expect(recorded).toMatchObject({ status: 'approved' });
    expect(await db.prisma.fundExpense.findFirstOrThrow({ where: { fundId: fund.id, purpose: '水管接头' } })).toMatchObject({ workOrderId: workOrder.id });
    const statement = await db.prisma.$transaction((tx) => loadFundStatement(tx, fund, monthContaining(NOW, 'Asia/Shanghai')));
    expect(statement.expenses.find((e) => e.purpose === '水管接头')?.jobNumber).toBe(ticket.number);

    await expect(db.prisma.$transaction((tx) => recordExpense(tx, { fund, actor: OPERATOR, amountFen: 100, purpose: '没有的工单', spentOn: NOW, jobNumber: 'BX-2026-99999', now: NOW }))).rejects.toMatchObject({
      code: 'job_not_found',
    });
  });

  it('tells the committee in the staff chat, after commit, when an expense waits for the decision', async () => {
    const committed = await transactionWithAfterCommit(db.prisma, (tx) =>
      recordExpense(tx, { fund, actor: OPERATOR, amountFen: 50_001, purpose: '更换主水管', spentOn: NOW, now: NOW }, alerts()),
    );
    expect(committed.value).toMatchObject({ status: 'pending' });
    // The staff chat's row is handed to the outbox once the transaction has committed.
    expect(committed.rows).toHaveLength(1);
    const posts = await db.prisma.outboxMessage.findMany({ where: { communityId, chatId: 'staff-room' } });
    expect(posts.map((p) => (p.payload as { text: string }).text)).toEqual([
      expect.stringContaining(`一事一议：${fund.areaPath}物业基金支出#`) as unknown as string,
    ]);
    expect((posts[0]!.payload as { text: string }).text).toContain('「更换主水管」¥500.01，超过¥500.00');

    // At the threshold: spent at once, nobody is asked.
    await db.prisma.$transaction((tx) => recordExpense(tx, { fund, actor: OPERATOR, amountFen: 50_000, purpose: '疏通下水', spentOn: NOW, now: NOW }, alerts()));
    expect(await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } })).toBe(1);
  });

  it('numbers expenses recorded at once without a gap or a repeat', async () => {
    const before = await db.prisma.fundExpense.count({ where: { fundId: fund.id } });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => db.prisma.$transaction((tx) => recordExpense(tx, { fund, actor: OPERATOR, amountFen: 100 + i, purpose: `灯泡${i}`, spentOn: NOW, now: NOW }))),
    );
    const numbers = (await db.prisma.fundExpense.findMany({ where: { fundId: fund.id }, orderBy: { number: 'asc' }, select: { number: true } })).map((e) => e.number);
    expect(numbers).toEqual(Array.from({ length: before + 8 }, (_, i) => i + 1));
  });

  it('takes one decision when two are taken at once', async () => {
    const pending = await db.prisma.$transaction((tx) => recordExpense(tx, { fund, actor: OPERATOR, amountFen: 70_000, purpose: '修补路面', spentOn: NOW, now: NOW }));
    if (!('number' in pending)) throw new Error('refused');
    const outcomes = await Promise.allSettled(
      (['approve', 'reject'] as const).map((decision) => db.prisma.$transaction((tx) => decideExpense(tx, { fund, actor: committee, number: pending.number, decision, now: NOW }))),
    );
    const decided = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(decided).toHaveLength(1);
    expect(refused.map((r) => (r.reason as FundError).code)).toEqual(['already_decided']);
    const audits = await db.prisma.auditLog.count({ where: { communityId, action: 'fund.expense_decided', subjectType: 'fund_expense' } });
    expect(audits).toBe(1);
  });

  it('refuses a resident who is no staff, audits the refusal and records nothing', async () => {
    const resident = (await loadActor(db.prisma, { residentId: people.residentId }, { now: NOW }))!;
    const household = await db.prisma.household.findUniqueOrThrow({ where: { id: people.householdId } });
    const before = await db.prisma.fundContribution.count();
    const outcome = await db.prisma.$transaction((tx) => recordContribution(tx, { fund, actor: resident, householdCode: household.code, amountFen: 1000, paidOn: NOW, now: NOW }));
    expect(outcome).toEqual({ refused: 'role_required' });
    expect(await db.prisma.fundContribution.count()).toBe(before);
    expect(await db.prisma.auditLog.findFirst({ where: { communityId, action: 'fund.contribution_recorded', actorId: people.residentId } })).toMatchObject({
      subjectType: 'property_fund',
      details: { denied: true, reason: 'role_required' },
    });

    const steward = (await loadActor(db.prisma, { residentId: people.stewardId }, { now: NOW }))!;
    const byStaff = await db.prisma.$transaction((tx) => recordContribution(tx, { fund, actor: steward, householdCode: household.code, amountFen: 1000, paidOn: NOW, now: NOW }));
    expect(byStaff).toHaveProperty('contributionId');
  });
});
