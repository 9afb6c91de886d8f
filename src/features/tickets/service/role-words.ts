/**
 * How a ticket names the people in it to a resident: by role, never by name ("包片干部 replied",
 * "民情联络员 filed it for you"). Staff in a small area are known anyway; a name in a resident's
 * chat history would outlive the person's role and could not be taken back on their removal.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { currentTermWhere } from '../../policy/terms.js';

/** The role word shown, most senior first; `resident` for anyone without one. */
export const ROLE_WORDS = ['committee', 'steward', 'council', 'admin', 'liaison', 'patrol', 'group_head', 'resident'] as const;
export type RoleWord = (typeof ROLE_WORDS)[number];

const ROLE_WORD_KEYS: Record<RoleWord, string> = {
  committee: 'tickets.role.committee',
  steward: 'tickets.role.steward',
  council: 'tickets.role.council',
  admin: 'tickets.role.admin',
  liaison: 'tickets.role.liaison',
  patrol: 'tickets.role.patrol',
  group_head: 'tickets.role.group_head',
  resident: 'tickets.role.resident',
};

/** The locale key of a role word. */
export function roleWordKey(word: RoleWord): string {
  return ROLE_WORD_KEYS[word];
}

/** Each person's most senior role word at `now` (one query for roles, one for group heads). */
export async function roleWordsOf(tx: Tx, residentIds: readonly string[], now: Date): Promise<Map<string, RoleWord>> {
  const ids = [...new Set(residentIds)];
  const out = new Map<string, RoleWord>();
  if (ids.length === 0) return out;
  const roles = await tx.roleAssignment.findMany({ where: { residentId: { in: ids }, ...currentTermWhere(now) }, select: { residentId: true, role: true } });
  const heads = await tx.householdGroup.findMany({ where: { headId: { in: ids } }, select: { headId: true } });
  const rank = (word: RoleWord) => ROLE_WORDS.indexOf(word);
  for (const id of ids) out.set(id, 'resident');
  const consider = (id: string, word: RoleWord) => {
    if (rank(word) < rank(out.get(id)!)) out.set(id, word);
  };
  for (const row of roles) if ((ROLE_WORDS as readonly string[]).includes(row.role)) consider(row.residentId, row.role as RoleWord);
  for (const row of heads) if (row.headId) consider(row.headId, 'group_head');
  return out;
}

