/**
 * One stage of an alert's roll-call, in the caller's transaction: at T1 each group head gets, in
 * their private chat, their group's households that have not answered; at T2 each area's steward
 * (the nearest up the tree from the household, as tickets are routed) gets their area's, grouped
 * by group. A head or steward whose households all answered gets nothing. Done once per alert and
 * stage: the stage's audit row (`notice.roll_call`, taken under an advisory lock on the alert and
 * stage) says it was, so a repeated job, a restart's sweep or a second worker sends nothing more.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { recordAudit } from '../../audit/record-audit.js';
import { nearestStewards } from '../../tickets/scheduling/staff-directory.js';
import { parseNoticeSettings } from '../rules/notice-settings.js';
import type { NoticeAnswerDeps } from '../answers/answer-deps.js';
import { hasGoneOut } from '../answers/gone-out.js';
import { stageDueAt, type RollCallStage } from './rules/escalation-times.js';
import { writeRollCallList } from './roll-call-list.js';
import { unansweredHouseholds, type UnansweredHousehold } from './unanswered.js';

/** The audit row that marks a stage done. */
export const ROLL_CALL_AUDIT_ACTION = 'notice.roll_call';

export type StageOutcome =
  | { outcome: 'sent'; households: number; recipients: number; rows: QueuedOutboxRow[] }
  | { outcome: 'not_due'; dueAt: Date }
  | { outcome: 'done_before' | 'not_an_alert' };

export async function runRollCallStage(tx: Tx, deps: NoticeAnswerDeps, noticeId: string, stage: RollCallStage, now: Date): Promise<StageOutcome> {
  const { communityId } = deps;
  const notice = await tx.notice.findFirst({
    where: { id: noticeId, communityId },
    select: { id: true, number: true, title: true, kind: true, status: true, sentAt: true, audience: true, community: { select: { noticeSettings: true } } },
  });
  if (!notice || notice.kind !== 'alert' || !hasGoneOut(notice.status) || !notice.sentAt) return { outcome: 'not_an_alert' };
  const settings = parseNoticeSettings(notice.community.noticeSettings);
  const dueAt = stageDueAt(notice.sentAt, settings, stage);
  if (now < dueAt) return { outcome: 'not_due', dueAt };

  // One at a time per alert and stage, in every process: the second finds the first's row.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`roll-call:${notice.id}:${stage}`}))`;
  const before = await tx.auditLog.findFirst({ where: { communityId, action: ROLL_CALL_AUDIT_ACTION, subjectType: 'notice', subjectId: notice.id, details: { path: ['stage'], equals: stage } }, select: { id: true } });
  if (before) return { outcome: 'done_before' };

  const households = await unansweredHouseholds(tx, communityId, notice, now);
  const recipients = stage === 'heads' ? byHead(households) : await byNearestSteward(tx, communityId, households, now);
  const minutes = Math.round((dueAt.getTime() - notice.sentAt.getTime()) / 60_000);
  const rows: QueuedOutboxRow[] = [];
  for (const [recipientId, theirs] of recipients) {
    rows.push(...(await writeRollCallList(tx, deps, { recipientId, notice, stage, minutes, households: theirs, at: now })));
  }
  await recordAudit(tx, {
    communityId,
    actor: { kind: 'system' },
    action: ROLL_CALL_AUDIT_ACTION,
    subjectType: 'notice',
    subjectId: notice.id,
    details: { stage, households: households.length, recipients: recipients.size },
  });
  return { outcome: 'sent', households: households.length, recipients: recipients.size, rows };
}

/** Each head's own group's households (a household in no group, or a group without a head, waits for the steward). */
function byHead(households: readonly UnansweredHousehold[]): Map<string, UnansweredHousehold[]> {
  const lists = new Map<string, UnansweredHousehold[]>();
  for (const household of households) {
    if (!household.headId) continue;
    lists.set(household.headId, [...(lists.get(household.headId) ?? []), household]);
  }
  return lists;
}

/** Each steward's households: those whose nearest steward up the area tree they are. */
async function byNearestSteward(tx: Tx, communityId: string, households: readonly UnansweredHousehold[], now: Date): Promise<Map<string, UnansweredHousehold[]>> {
  const stewardsOfArea = new Map<string, string[]>();
  const lists = new Map<string, UnansweredHousehold[]>();
  for (const household of households) {
    let stewards = stewardsOfArea.get(household.areaId);
    if (!stewards) {
      stewards = await nearestStewards(tx, communityId, household.areaId, now);
      stewardsOfArea.set(household.areaId, stewards);
    }
    for (const steward of stewards) lists.set(steward, [...(lists.get(steward) ?? []), household]);
  }
  return lists;
}
