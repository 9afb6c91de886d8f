/**
 * Where an alert's roll-call stands, as one viewer may see it: the households it addresses that
 * the viewer may see acknowledgements of (`group.view_acknowledgements`: committee and admins all,
 * stewards and councils their areas' subtrees, a head their own group), the answers, the counts
 * (`rollCallCounts`) by area and by group, the households that asked for help with their tickets,
 * and the households not answered yet with their members masked. Read by the staff chat's `/rollcall` and the console's page. A viewer who may see none
 * of them is refused, audited.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { checkAudited } from '../../policy/audited-check.js';
import type { DenialReason } from '../../policy/denials.js';
import { can } from '../../policy/policy.js';
import { maskPerson } from '../../privacy/mask.js';
import { addressedHouseholdsWhere } from '../answers/addressed-households.js';
import { GONE_OUT_STATUSES } from '../answers/gone-out.js';
import { rollCallCounts, type RollCallCounts } from './rules/roll-call-counts.js';

export interface NotYetHousehold {
  id: string;
  address: string;
  areaPath: string;
  groupCode: string | null;
  members: { name: string; phone: string | null }[];
}

/** A household that asked for help, with the ticket its answer opened. */
export interface HelpHousehold {
  id: string;
  address: string;
  ticketNumber: string | null;
}

export interface RollCallStatus {
  notice: { id: string; number: string; title: string; sentAt: Date | null };
  /** The households that asked for help, and their tickets, in roster order. */
  help: HelpHousehold[];
  counts: RollCallCounts;
  areaPaths: ReadonlyMap<string, string>;
  groupCodes: ReadonlyMap<string | null, string | null>;
  notYet: NotYetHousehold[];
}

export type RollCallLookup = { status: 'found'; rollCall: RollCallStatus } | { status: 'not_found' } | { status: 'denied'; reason: DenialReason };

/** The alert by its number, or the latest alert sent when none is given. */
export async function loadRollCall(tx: Tx, input: { communityId: string; actor: Actor; number: string | null; now: Date }): Promise<RollCallLookup> {
  const { communityId, actor, now } = input;
  const notice = await tx.notice.findFirst({
    where: { communityId, kind: 'alert', status: { in: [...GONE_OUT_STATUSES] }, sentAt: { not: null }, ...(input.number ? { number: input.number.toUpperCase() } : {}) },
    orderBy: { sentAt: 'desc' },
    select: { id: true, number: true, title: true, sentAt: true, audience: true },
  });
  if (!notice) return { status: 'not_found' };
  const households = await tx.household.findMany({
    where: await addressedHouseholdsWhere(tx, communityId, notice.audience, now),
    orderBy: { code: 'asc' },
    select: {
      id: true,
      address: true,
      areaId: true,
      area: { select: { path: true } },
      groupId: true,
      group: { select: { code: true } },
      residents: { orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { name: true, phone: true } },
    },
  });
  const ancestries = new Map<string, string[]>();
  const visible: typeof households = [];
  for (const household of households) {
    let ancestry = ancestries.get(household.areaId);
    if (!ancestry) {
      ancestry = await areaAncestry(tx, household.areaId);
      ancestries.set(household.areaId, ancestry);
    }
    if (can(actor, 'group.view_acknowledgements', { communityId, groupId: household.groupId ?? '', areaIds: ancestry }, { now })) visible.push(household);
  }
  if (visible.length === 0) {
    // Nothing of it is theirs to see: the refusal is the community-wide check's, audited.
    const decision = await checkAudited(tx, {
      communityId,
      actor,
      action: 'group.view_acknowledgements',
      subject: { communityId, groupId: '', areaIds: [] },
      target: { type: 'notice', id: notice.id },
      now,
    });
    if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  }
  const answers = await tx.noticeAnswer.findMany({
    where: { noticeId: notice.id, householdId: { in: visible.map((h) => h.id) } },
    select: { householdId: true, answer: true, ticketId: true },
  });
  const helpTickets = answers.filter((a) => a.answer === 'help' && a.ticketId).map((a) => a.ticketId!);
  const ticketNumbers = new Map((await tx.ticket.findMany({ where: { id: { in: helpTickets } }, select: { id: true, number: true } })).map((row) => [row.id, row.number]));
  const helpOf = new Map(answers.filter((a) => a.answer === 'help').map((a) => [a.householdId, a.ticketId ? (ticketNumbers.get(a.ticketId) ?? null) : null]));
  const answered = new Set(answers.map((a) => a.householdId));
  return {
    status: 'found',
    rollCall: {
      notice: { id: notice.id, number: notice.number, title: notice.title, sentAt: notice.sentAt },
      help: visible.filter((h) => helpOf.has(h.id)).map((h) => ({ id: h.id, address: h.address, ticketNumber: helpOf.get(h.id) ?? null })),
      counts: rollCallCounts(visible.map((h) => ({ id: h.id, areaId: h.areaId, groupId: h.groupId })), answers),
      areaPaths: new Map(visible.map((h) => [h.areaId, h.area.path])),
      groupCodes: new Map(visible.map((h) => [h.groupId, h.group?.code ?? null])),
      notYet: visible
        .filter((h) => !answered.has(h.id))
        .map((h) => ({ id: h.id, address: h.address, areaPath: h.area.path, groupCode: h.group?.code ?? null, members: h.residents.map(maskPerson) })),
    },
  };
}
