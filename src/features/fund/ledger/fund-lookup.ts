/**
 * Finding the fund an action is about, and the policy's view of it: the fund's area with its
 * ancestors, so the area's stewards and councils (and the committee) are in scope.
 */
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import { areaAncestry, areaSubtree } from '../../policy/area-ancestry.js';
import type { ScopeSubject } from '../../policy/subjects.js';
import { FundError } from './fund-errors.js';

export interface FundRecord {
  id: string;
  communityId: string;
  areaId: string;
  areaPath: string;
  shareFen: number;
  approvalThresholdFen: number;
  contactPhones: string[];
  /** Months that ended before it are never disclosed. */
  createdAt: Date;
}

const FUND_SELECT = {
  id: true,
  communityId: true,
  areaId: true,
  shareFen: true,
  approvalThresholdFen: true,
  contactPhones: true,
  createdAt: true,
  area: { select: { path: true } },
} as const;

type FundRow = { id: string; communityId: string; areaId: string; shareFen: number; approvalThresholdFen: number; contactPhones: string[]; createdAt: Date; area: { path: string } };

function record(row: FundRow): FundRecord {
  const { area, ...rest } = row;
  return { ...rest, areaPath: area.path };
}

/**
 * The fund of the area at `areaPath`, or — with no path — the community's only fund (most
 * communities have one: the bungalow area's). Throws `FundError` when there is none or, without a
 * path, more than one.
 */
export async function findFund(db: PrismaClient | Tx, communityId: string, areaPath?: string): Promise<FundRecord> {
  const funds = await db.propertyFund.findMany({
    where: { communityId, ...(areaPath ? { area: { path: areaPath } } : {}) },
    select: FUND_SELECT,
    orderBy: { createdAt: 'asc' },
  });
  if (funds.length === 0) throw new FundError(areaPath ? 'no_fund_in_area' : 'no_fund', areaPath ? { area: areaPath } : {});
  if (funds.length > 1) throw new FundError('several_funds', { areas: funds.map((f) => f.area.path).join(', ') });
  return record(funds[0]!);
}

/** Every fund of every community (the monthly disclosures are scheduled per fund). */
export async function allFunds(db: PrismaClient | Tx, communityId: string): Promise<FundRecord[]> {
  const funds = await db.propertyFund.findMany({ where: { communityId }, select: FUND_SELECT, orderBy: { createdAt: 'asc' } });
  return funds.map(record);
}

/** The fund by id. */
export async function fundById(db: PrismaClient | Tx, fundId: string): Promise<FundRecord | null> {
  const row = await db.propertyFund.findUnique({ where: { id: fundId }, select: FUND_SELECT });
  return row ? record(row) : null;
}

/** What the policy reads for the fund: its area and the area's ancestors. */
export async function fundSubject(db: Tx, fund: FundRecord): Promise<ScopeSubject> {
  return { communityId: fund.communityId, areaIds: await areaAncestry(db, fund.areaId) };
}

/** The fund's area and every area below it: whose households pay in and hear the figures. */
export function fundAreaIds(db: Tx, fund: FundRecord): Promise<string[]> {
  return areaSubtree(db, [fund.areaId]);
}
