/**
 * "What do you hold about me?": everything the community's records keep about one person —
 * never anyone else's data (no other household member, no other person's name in a group).
 * The caller checks `resident.view_own_data` (only the person themself). Features that add
 * personal tables (tickets…) add their part here.
 */
import type { Tx } from '../../db/prisma-types.js';
import { isTermCurrent } from '../policy/terms.js';
import { REVEAL_PHONE_ACTION } from './reveal-phone.js';

/** Where a role's term stands today. */
export type TermState = 'current' | 'ended' | 'upcoming';

/** Everything held about one person, as plain data. */
export interface MyDataSummary {
  residentId: string;
  person: { name: string; phone: string | null; birthYear: number | null; locale: string | null };
  household: { code: string; address: string; areaPath: string; flags: string[] } | null;
  /** The group the person's household belongs to, and whether they head it. */
  group: { code: string; isHead: boolean } | null;
  /** A group the person heads that is not their household's (rare; null otherwise). */
  alsoHeads: { code: string } | null;
  /** Every role on record, past and future terms included. */
  roles: { role: string; areaPath: string | null; skills: string[]; startsOn: Date; endsOn: Date | null; term: TermState }[];
  /** Chat accounts that speak for the person. */
  chatAccounts: { channel: string; boundAt: Date | null }[];
  /** Requests to be bound, as the person typed them. */
  bindingRequests: { number: number; status: string; createdAt: Date; name: string; address: string; phone: string }[];
  /** How many times staff were shown the full phone number. */
  phoneReveals: number;
  /** Tickets the person filed or is the reporter of, oldest first; absent when there are none. */
  tickets?: { number: string; kind: string; status: string; createdAt: Date }[];
}

/** The summary for `residentId`, or null when there is no such person. Four queries. */
export async function myDataSummary(db: Tx, residentId: string, options: { now?: Date } = {}): Promise<MyDataSummary | null> {
  const now = options.now ?? new Date();
  const resident = await db.resident.findUnique({
    where: { id: residentId },
    select: {
      name: true,
      phone: true,
      birthYear: true,
      locale: true,
      household: {
        select: { code: true, address: true, flags: true, area: { select: { path: true } }, group: { select: { id: true, code: true, headId: true } } },
      },
      headOf: { select: { id: true, code: true } },
      roles: {
        select: { role: true, skills: true, startsOn: true, endsOn: true, area: { select: { path: true } } },
        orderBy: { startsOn: 'asc' },
      },
      chatAccounts: { select: { id: true, channel: true, boundAt: true }, orderBy: { boundAt: 'asc' } },
    },
  });
  if (!resident) return null;

  const accountIds = resident.chatAccounts.map((account) => account.id);
  const requests = await db.bindingRequest.findMany({
    where: { OR: [{ residentId }, { chatAccountId: { in: accountIds } }] },
    select: { number: true, status: true, createdAt: true, name: true, address: true, phone: true },
    orderBy: { createdAt: 'asc' },
  });
  const reveals = await db.auditLog.findMany({
    where: { subjectType: 'resident', subjectId: residentId, action: REVEAL_PHONE_ACTION },
    select: { details: true },
  });

  const tickets = await db.ticket.findMany({
    where: { OR: [{ reporterId: residentId }, { filedById: residentId }] },
    select: { number: true, kind: true, status: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });

  const { household } = resident;
  const group = household?.group ?? null;
  return {
    residentId,
    person: { name: resident.name, phone: resident.phone, birthYear: resident.birthYear, locale: resident.locale },
    household: household
      ? { code: household.code, address: household.address, areaPath: household.area.path, flags: household.flags }
      : null,
    group: group ? { code: group.code, isHead: group.headId === residentId } : null,
    alsoHeads: resident.headOf && resident.headOf.id !== group?.id ? { code: resident.headOf.code } : null,
    roles: resident.roles.map((role) => ({
      role: role.role,
      areaPath: role.area?.path ?? null,
      skills: role.skills,
      startsOn: role.startsOn,
      endsOn: role.endsOn,
      term: termState(role, now),
    })),
    chatAccounts: resident.chatAccounts.map((account) => ({ channel: account.channel, boundAt: account.boundAt })),
    bindingRequests: requests,
    phoneReveals: reveals.filter((row) => !isDenied(row.details)).length,
    ...(tickets.length > 0 ? { tickets } : {}),
  };
}

function termState(term: { startsOn: Date; endsOn: Date | null }, now: Date): TermState {
  if (isTermCurrent(term, now)) return 'current';
  return term.startsOn.getTime() > now.getTime() ? 'upcoming' : 'ended';
}

function isDenied(details: unknown): boolean {
  return typeof details === 'object' && details !== null && (details as { denied?: unknown }).denied === true;
}
