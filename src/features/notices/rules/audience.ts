/**
 * Who a notice goes to, as the sender chose it (`Notice.audience`, `SavedAudience.audience`), and
 * the pure part of turning people and chats into recipients.
 *
 * Selectors add people up: everyone; areas (each with its whole subtree); household groups;
 * holders of roles; a saved list. `priority: true` narrows whatever they pick to priority
 * households (docs/domain.md rule 7: a household with any flag); on its own it means every
 * priority household of the community. Group chats bound to the audience's places (the
 * community, its areas, its household groups) are reached when the selection is by place only —
 * a list of role holders or of priority households must not be posted where their neighbours read.
 */
import { z } from 'zod';
import { ROLES } from '../../community/vocabulary.js';

const ids = z.array(z.string().min(1).max(64)).max(500);

export const audienceSchema = z
  .strictObject({
    everyone: z.literal(true).optional(),
    areaIds: ids.optional(),
    groupIds: ids.optional(),
    roles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
    priority: z.literal(true).optional(),
    savedAudienceId: z.string().min(1).max(64).optional(),
    /** A hand-picked list (saved audiences only). */
    residentIds: ids.optional(),
  })
  .refine(
    (a) => a.everyone || a.priority || (a.areaIds?.length ?? 0) + (a.groupIds?.length ?? 0) + (a.roles?.length ?? 0) + (a.residentIds?.length ?? 0) > 0 || a.savedAudienceId,
    'an audience names someone',
  );

export type Audience = z.infer<typeof audienceSchema>;

/** Where a notice goes: people's private chats, the audience's bound group chats, or both. */
export const NOTICE_VIAS = ['private', 'groups', 'both'] as const;
export type NoticeVia = (typeof NOTICE_VIAS)[number];

/** Reaches bound group chats at all: only a selection by place (see the file's comment). */
export function reachesGroupChats(audience: Audience): boolean {
  return !audience.priority && !(audience.roles?.length) && !(audience.residentIds?.length);
}

/** One member of the audience with their accounts, best first (the order accounts are tried in). */
export interface AudienceMember {
  residentId: string;
  householdId: string | null;
  accounts: readonly AudienceAccount[];
}

export interface AudienceAccount {
  chatAccountId: string;
  channel: string;
  chatId: string;
  locale: string;
}

export interface AudienceChat {
  channel: string;
  chatId: string;
  locale: string;
}

/** One message to write: to a person's account, or to a bound group chat. */
export type NoticeRecipient =
  | ({ kind: 'private'; residentId: string; householdId: string | null } & AudienceAccount)
  | ({ kind: 'group' } & AudienceChat);

export interface PickOptions {
  via: NoticeVia;
  /** One message per household, to its first member's first reachable account. */
  perHousehold: boolean;
}

/**
 * The messages to write: each member's first reachable account (or each household's first, with
 * `perHousehold`; people without a household count alone), then each bound chat once. A person
 * reached in a group chat still gets their private message. No chat is written to twice.
 * `members` come in the order the household's members are listed.
 */
export function pickRecipients(members: readonly AudienceMember[], chats: readonly AudienceChat[], options: PickOptions): NoticeRecipient[] {
  const seenChats = new Set<string>();
  const chatKey = (channel: string, chatId: string) => `${channel}\u0000${chatId}`;
  const recipients: NoticeRecipient[] = [];
  if (options.via !== 'groups') {
    const seenHouseholds = new Set<string>();
    for (const member of members) {
      const account = member.accounts.find((each) => !seenChats.has(chatKey(each.channel, each.chatId)));
      if (!account) continue;
      if (options.perHousehold && member.householdId !== null) {
        if (seenHouseholds.has(member.householdId)) continue;
        seenHouseholds.add(member.householdId);
      }
      seenChats.add(chatKey(account.channel, account.chatId));
      recipients.push({ kind: 'private', residentId: member.residentId, householdId: member.householdId, ...account });
    }
  }
  if (options.via !== 'private') {
    for (const chat of chats) {
      const key = chatKey(chat.channel, chat.chatId);
      if (seenChats.has(key)) continue;
      seenChats.add(key);
      recipients.push({ kind: 'group', ...chat });
    }
  }
  return recipients;
}

/** How many people and chats a list of recipients reaches (the preview's counts). */
export interface AudienceCounts {
  /** Private messages (people, or households with `perHousehold`). */
  people: number;
  /** Households those private messages reach. */
  households: number;
  /** Bound group chats. */
  chats: number;
  /** Members of the audience with no reachable account (and not reached through a housemate). */
  unreachable: number;
}

export function countRecipients(members: readonly AudienceMember[], recipients: readonly NoticeRecipient[], perHousehold: boolean): AudienceCounts {
  const privates = recipients.filter((r): r is Extract<NoticeRecipient, { kind: 'private' }> => r.kind === 'private');
  const reachedPeople = new Set(privates.map((r) => r.residentId));
  const reachedHouseholds = new Set(privates.map((r) => r.householdId).filter((id): id is string => id !== null));
  const unreachable = members.filter((m) =>
    perHousehold && m.householdId !== null ? !reachedHouseholds.has(m.householdId) : !reachedPeople.has(m.residentId),
  );
  // With one copy per household, a household none of whose members can be reached counts once.
  const unreachableCount = perHousehold
    ? new Set(unreachable.map((m) => m.householdId ?? `person:${m.residentId}`)).size
    : unreachable.length;
  return { people: privates.length, households: reachedHouseholds.size, chats: recipients.length - privates.length, unreachable: unreachableCount };
}
