/**
 * What `/help` adds for someone who may send notices: the notices' commands this person may
 * use, each with where it works — `/notice` and `/alert` for whoever may send to an audience
 * (staff in the staff chat or a private chat; a group head to their own group, in a private
 * chat), `/rollcall` (the staff chat), `/bind_group` (in the chat to bind: committee and
 * admins any purpose, a head their own group's chat). Asked with `can` (not audited: telling is
 * not acting). A resident who may use none of them gets nothing more than the usual help.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Actor } from '../../policy/actor.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { loadGroupSubject } from '../../policy/load-subjects.js';
import { can } from '../../policy/policy.js';

/** `/help` as typed (a group's `/help@bot` arrives without the mention). */
export function isHelpCommand(text: string | undefined): boolean {
  return text !== undefined && /^[/／]help(?:@[A-Za-z0-9_]+)?\s*$/i.test(text.trim());
}

/** The locale keys of the lines this person gets, in order; empty for none. */
export async function noticeHelpKeys(tx: Tx, actor: Actor, communityId: string, now: Date): Promise<string[]> {
  if (actor.kind !== 'person') return [];
  const options = { now };
  const staffReach = can(actor, 'notice.send_all', { communityId }, options) || (await mayAnyArea(tx, actor, communityId, now));
  const group = actor.headOfGroupId !== null ? await loadGroupSubject(tx, communityId, actor.headOfGroupId) : null;
  const head = group !== null && can(actor, 'notice.send_group', group, options);
  const bindsAny = can(actor, 'chat.bind', { communityId, groupId: null }, options);
  const bindsOwn = actor.headOfGroupId !== null && can(actor, 'chat.bind', { communityId, groupId: actor.headOfGroupId }, options);
  const keys: string[] = [];
  if (staffReach) keys.push('notices.help.notice_staff', 'notices.help.alert', 'notices.help.rollcall');
  else if (head) keys.push('notices.help.notice_head');
  if (bindsAny) keys.push('notices.help.bind_group_staff');
  else if (bindsOwn) keys.push('notices.help.bind_group_head');
  if (staffReach || head) keys.push('notices.help.more');
  return keys.length > 0 ? ['notices.help.heading', ...keys] : [];
}

async function mayAnyArea(tx: Tx, actor: Actor, communityId: string, now: Date): Promise<boolean> {
  const areas = await tx.area.findMany({ where: { communityId }, select: { id: true } });
  for (const area of areas) {
    if (can(actor, 'notice.send_area', { communityId, areaIds: await areaAncestry(tx, area.id) }, { now })) return true;
  }
  return false;
}
