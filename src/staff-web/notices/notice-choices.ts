/**
 * What the compose form offers a staff member: only the audiences they may send to, as the
 * policy says (`notice.send_all`: everyone, roles, priority households; `notice.send_area`: each
 * area within their reach; `notice.send_group`: each household group they may send to). Asked
 * with `can` (no audit row: offering is not acting); the service checks again, audited, on send.
 */
import type { Tx } from '../../db/prisma-types.js';
import { areaAncestry } from '../../features/policy/area-ancestry.js';
import type { Actor } from '../../features/policy/actor.js';
import { loadGroupSubject } from '../../features/policy/load-subjects.js';
import { can } from '../../features/policy/policy.js';
import { audienceSchema, type Audience } from '../../features/notices/rules/audience.js';

export interface NoticeChoices {
  /** Everyone, roles and priority households (community-wide). */
  mayAll: boolean;
  areas: { id: string; path: string }[];
  groups: { id: string; code: string }[];
  saved: { id: string; name: string }[];
}

/** Whether the staff member may send anything at all (the list and the form are theirs). */
export function maySendAny(choices: NoticeChoices): boolean {
  return choices.mayAll || choices.areas.length > 0 || choices.groups.length > 0;
}

export async function noticeChoices(tx: Tx, actor: Actor, communityId: string, now: Date): Promise<NoticeChoices> {
  const mayAll = can(actor, 'notice.send_all', { communityId }, { now });
  const areas: NoticeChoices['areas'] = [];
  const areaRows = await tx.area.findMany({ where: { communityId }, orderBy: { path: 'asc' }, select: { id: true, path: true } });
  for (const area of areaRows) {
    if (mayAll || can(actor, 'notice.send_area', { communityId, areaIds: await areaAncestry(tx, area.id) }, { now })) areas.push(area);
  }
  const groups: NoticeChoices['groups'] = [];
  const groupRows = await tx.householdGroup.findMany({ where: { communityId }, orderBy: { code: 'asc' }, select: { id: true, code: true } });
  for (const group of groupRows) {
    const subject = mayAll ? null : await loadGroupSubject(tx, communityId, group.id);
    if (mayAll || (subject && can(actor, 'notice.send_group', subject, { now }))) groups.push({ id: group.id, code: group.code });
  }
  const areaIds = new Set(areas.map((area) => area.id));
  const groupIds = new Set(groups.map((group) => group.id));
  const savedRows = await tx.savedAudience.findMany({ where: { communityId }, orderBy: { name: 'asc' }, select: { id: true, name: true, audience: true } });
  const saved = savedRows.filter((row) => {
    const parsed = audienceSchema.safeParse(row.audience);
    return parsed.success && within(parsed.data, { mayAll, areaIds, groupIds });
  });
  return { mayAll, areas, groups, saved: saved.map(({ id, name }) => ({ id, name })) };
}

/** Whether the staff member could have chosen `audience` part by part (a saved one, a sent notice's in the list). */
export function mayChoose(audience: Audience, choices: NoticeChoices): boolean {
  return within(audience, { mayAll: choices.mayAll, areaIds: new Set(choices.areas.map((a) => a.id)), groupIds: new Set(choices.groups.map((g) => g.id)) });
}

function within(audience: Audience, reach: { mayAll: boolean; areaIds: ReadonlySet<string>; groupIds: ReadonlySet<string> }): boolean {
  const { mayAll, areaIds, groupIds } = reach;
  if (mayAll) return true;
  if (audience.everyone || audience.roles?.length || audience.residentIds?.length) return false;
  if (audience.priority && !audience.areaIds?.length && !audience.groupIds?.length) return false;
  return (audience.areaIds ?? []).every((id) => areaIds.has(id)) && (audience.groupIds ?? []).every((id) => groupIds.has(id));
}
