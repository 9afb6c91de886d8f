/**
 * May this actor send to this audience: every part of it is checked through the one policy
 * (`checkAudited`, so a refusal leaves its audit row): everyone, a list of role holders, priority
 * households community-wide or a hand-picked list need `notice.send_all`; each area
 * `notice.send_area` (a steward: within their area); each household group `notice.send_group`
 * (a group head: their own group only). A saved audience is checked as what it holds. The first
 * refusal answers; an id of another community or none is refused as not found.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { auditRefusal, checkAudited } from '../../policy/audited-check.js';
import type { DenialReason } from '../../policy/denials.js';
import { loadGroupSubject } from '../../policy/load-subjects.js';
import type { Audience } from '../rules/audience.js';

export type SenderCheck = { allowed: true } | { allowed: false; reason: DenialReason | 'unknown_target' };

export interface SenderCheckInput {
  communityId: string;
  actor: Actor;
  /** The audience with its saved list merged in. */
  audience: Audience;
  /** What the audit row of a refusal points at: the notice, or null before it exists. */
  noticeId: string | null;
  now: Date;
}

export async function checkSender(tx: Tx, input: SenderCheckInput): Promise<SenderCheck> {
  const { communityId, actor, audience, now } = input;
  const target = { type: 'notice', id: input.noticeId };
  const communityWide = audience.everyone || audience.roles?.length || audience.residentIds?.length || (audience.priority && !audience.areaIds?.length && !audience.groupIds?.length);
  if (communityWide) {
    const decision = await checkAudited(tx, { communityId, actor, action: 'notice.send_all', subject: { communityId }, target, now });
    if (!decision.allowed) return decision;
  }
  for (const areaId of audience.areaIds ?? []) {
    const area = await tx.area.findFirst({ where: { id: areaId, communityId }, select: { id: true } });
    if (!area) return refuseUnknown(tx, input, 'notice.send_area');
    const decision = await checkAudited(tx, { communityId, actor, action: 'notice.send_area', subject: { communityId, areaIds: await areaAncestry(tx, areaId) }, target, details: { areaId }, now });
    if (!decision.allowed) return decision;
  }
  for (const groupId of audience.groupIds ?? []) {
    const subject = await loadGroupSubject(tx, communityId, groupId);
    if (!subject) return refuseUnknown(tx, input, 'notice.send_group');
    const decision = await checkAudited(tx, { communityId, actor, action: 'notice.send_group', subject, target, details: { groupId }, now });
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}

/** An id that names nothing of this community (an edited form, a forged button): refused and audited like any refusal. */
async function refuseUnknown(tx: Tx, input: SenderCheckInput, action: 'notice.send_area' | 'notice.send_group'): Promise<SenderCheck> {
  await auditRefusal(tx, { communityId: input.communityId, actor: input.actor, action, target: { type: 'notice', id: input.noticeId }, now: input.now }, 'unknown_target');
  return { allowed: false, reason: 'unknown_target' };
}
