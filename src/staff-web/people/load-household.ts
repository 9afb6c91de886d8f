/**
 * One household as the staff console's household page shows it: address, area, priority flags,
 * group and its head, members with their bound chat accounts (channel and since when — never
 * the platform's id) and their current roles. Names are shown as the staff chat shows them,
 * phones masked. Opening a household the viewer may not view is refused and audited, as probing
 * for codes should leave a trace.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { HouseholdFlag, Role, Skill } from '../../features/community/vocabulary.js';
import { ROLES, SKILLS } from '../../features/community/vocabulary.js';
import type { Actor } from '../../features/policy/actor.js';
import { checkAudited } from '../../features/policy/audited-check.js';
import type { DenialReason } from '../../features/policy/denials.js';
import { loadHouseholdSubject } from '../../features/policy/load-subjects.js';
import { can } from '../../features/policy/policy.js';
import { currentTermWhere } from '../../features/policy/terms.js';
import { maskPhone } from '../../features/privacy/mask.js';
import { knownFlags } from './search-households.js';

export interface LoadHouseholdInput {
  communityId: string;
  actor: Actor;
  /** The office's household code, as in the page's address. */
  code: string;
  now: Date;
}

export interface HouseholdMember {
  residentId: string;
  name: string;
  maskedPhone: string | null;
  /** Chat accounts bound to the person: which channel, bound since when. */
  accounts: { channel: string; since: Date | null }[];
  /** Roles whose term is current. */
  roles: { role: Role; areaPath: string | null; skills: Skill[] }[];
  isGroupHead: boolean;
  /** Whether the viewer may see the full number (`resident.reveal_phone`; audited when they do). */
  mayRevealPhone: boolean;
}

export interface HouseholdDetail {
  code: string;
  address: string;
  areaPath: string;
  flags: HouseholdFlag[];
  group: { code: string; head: { name: string; householdCode: string | null } | null } | null;
  members: HouseholdMember[];
  /** Whether the viewer may hand out a binding code for this household (`invite.create`). */
  canIssueCode: boolean;
}

export type LoadHouseholdOutcome =
  | { status: 'found'; household: HouseholdDetail }
  | { status: 'not_found' }
  /** Refused by the policy (the attempt is in the audit log). */
  | { status: 'denied'; reason: DenialReason };

/** The household page's data (see the file's comment). `db` should be a transaction, so a refusal's audit row commits with the read. */
export async function loadHousehold(db: Tx, input: LoadHouseholdInput): Promise<LoadHouseholdOutcome> {
  const { communityId, actor, now } = input;
  const found = await db.household.findUnique({
    where: { communityId_code: { communityId, code: input.code.trim() } },
    select: {
      id: true,
      code: true,
      address: true,
      flags: true,
      area: { select: { path: true } },
      group: { select: { code: true, head: { select: { id: true, name: true, household: { select: { code: true } } } } } },
      residents: {
        orderBy: { position: 'asc' },
        select: {
          id: true,
          name: true,
          phone: true,
          chatAccounts: { orderBy: { boundAt: 'asc' }, select: { channel: true, boundAt: true } },
          roles: {
            where: currentTermWhere(now),
            orderBy: { createdAt: 'asc' },
            select: { role: true, skills: true, area: { select: { path: true } } },
          },
        },
      },
    },
  });
  if (!found) return { status: 'not_found' };
  const subject = (await loadHouseholdSubject(db, communityId, found.id))!;
  const decision = await checkAudited(db, {
    communityId,
    actor,
    action: 'household.view',
    subject,
    target: { type: 'household', id: found.id },
    now,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };

  const headId = found.group?.head?.id ?? null;
  return {
    status: 'found',
    household: {
      code: found.code,
      address: found.address,
      areaPath: found.area.path,
      flags: knownFlags(found.flags),
      group: found.group
        ? {
            code: found.group.code,
            head: found.group.head ? { name: found.group.head.name, householdCode: found.group.head.household?.code ?? null } : null,
          }
        : null,
      members: found.residents.map((member) => ({
        residentId: member.id,
        name: member.name,
        maskedPhone: member.phone ? maskPhone(member.phone) : null,
        accounts: member.chatAccounts.map((account) => ({ channel: account.channel, since: account.boundAt })),
        roles: member.roles
          .filter((held): held is typeof held & { role: Role } => (ROLES as readonly string[]).includes(held.role))
          .map((held) => ({ role: held.role, areaPath: held.area?.path ?? null, skills: SKILLS.filter((skill) => held.skills.includes(skill)) })),
        isGroupHead: member.id === headId,
        mayRevealPhone:
          member.phone !== null &&
          can(actor, 'resident.reveal_phone', { communityId, residentId: member.id, householdId: found.id, groupId: subject.groupId, areaIds: subject.areaIds }, { now }),
      })),
      canIssueCode: can(actor, 'invite.create', { communityId, areaIds: subject.areaIds }, { now }),
    },
  };
}
