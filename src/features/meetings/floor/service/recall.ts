/**
 * A recall that passed ends the member's place on the committee: every committee term of theirs
 * current at the close ends that instant (a term counts up to and including its `endsOn`, so it
 * ends a millisecond before), each audited as a staff change with the motion that decided it. The
 * member is told in their private chats and the committee in its chat, in the same transaction as
 * the result. A recall that failed changes nothing (the caller does not come here).
 */
import type { Tx } from '../../../../db/prisma-types.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../../../../outbox/outbox.js';
import { recordAudit } from '../../../audit/record-audit.js';
import type { Actor } from '../../../policy/actor.js';
import { currentTermWhere } from '../../../policy/terms.js';
import type { FloorDeps } from './floor-deps.js';
import type { FloorMeeting } from './meeting-lookup.js';

export interface RecallMotion {
  id: string;
  position: number;
  title: string;
  subjectId: string | null;
}

export interface RecallEnded {
  /** Committee terms ended (0: the member held none by the close). */
  ended: number;
  rows: QueuedOutboxRow[];
}

export async function endRecalledRole(tx: Tx, deps: FloorDeps, meeting: FloorMeeting, motion: RecallMotion, actor: Actor, tally: { yes: number; presentAtClose: number }, now: Date): Promise<RecallEnded> {
  const memberId = motion.subjectId;
  if (!memberId) return { ended: 0, rows: [] };
  const member = await tx.resident.findUnique({ where: { id: memberId }, select: { name: true } });
  if (!member) return { ended: 0, rows: [] };
  const terms = await tx.roleAssignment.findMany({
    where: { communityId: meeting.communityId, residentId: memberId, role: 'committee', ...currentTermWhere(now) },
    select: { id: true, areaId: true },
  });
  const endsOn = new Date(now.getTime() - 1);
  let ended = 0;
  for (const term of terms) {
    // Guarded: a term someone else ended meanwhile keeps its own end.
    const updated = await tx.roleAssignment.updateMany({ where: { id: term.id, ...currentTermWhere(now) }, data: { endsOn } });
    if (updated.count === 0) continue;
    ended += 1;
    await recordAudit(tx, {
      communityId: meeting.communityId,
      actor,
      action: 'staff.manage',
      subjectType: 'role_assignment',
      subjectId: term.id,
      details: { residentId: memberId, areaId: term.areaId, role: 'committee', change: 'term_ended_by_recall', motionId: motion.id, meetingId: meeting.id },
    });
  }
  const vars = { name: member.name, number: meeting.number, position: motion.position, yes: tally.yes, present: tally.presentAtClose };
  const rows = await deps.staffAlerts.toCommittee(tx, {
    communityId: meeting.communityId,
    text: (locale) => deps.translator.t(locale, ended > 0 ? 'meetings.recall.committee_told' : 'meetings.recall.committee_no_role', vars),
  });
  if (ended > 0) rows.push(...(await tellMember(tx, deps, memberId, vars)));
  return { ended, rows };
}

/** The member's own reachable chats, each in its language. */
async function tellMember(tx: Tx, deps: FloorDeps, residentId: string, vars: Record<string, string | number>): Promise<QueuedOutboxRow[]> {
  const accounts = await tx.chatAccount.findMany({
    where: { residentId, unreachableAt: null },
    orderBy: { createdAt: 'asc' },
    select: { id: true, communityId: true, channel: true, externalId: true, locale: true, community: { select: { defaultLocale: true } }, resident: { select: { locale: true } } },
  });
  return writeOutbox(
    tx,
    accounts.map((account) => ({
      communityId: account.communityId,
      channel: account.channel,
      chatId: account.externalId,
      chatAccountId: account.id,
      message: { text: deps.translator.t(account.locale ?? account.resident?.locale ?? account.community.defaultLocale, 'meetings.recall.member_told', vars) },
      priority: PRIORITY_REPLY,
    })),
  );
}
