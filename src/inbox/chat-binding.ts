/**
 * Binding a group chat to a purpose (bound-chats.ts), a staff action taken in the chat itself:
 * - `/setup_staff_chat` (or `/bind_group staff`) makes the chat the community's staff inbox, by
 *   the policy's `staff_chat.setup` (committee and admins: the staff chat receives every ticket
 *   with names and masked phones, and the community-wide digest). One staff chat per channel:
 *   binding another moves the inbox there (new tickets go to the new chat; a ticket already
 *   posted gets a fresh card there on its next change). Configuration wins: with
 *   `TELEGRAM_STAFF_CHAT_ID` set, the command cannot move the Telegram inbox.
 * - `/bind_group <purpose> [target]` binds it for another purpose (a service team, a household
 *   group, an area, the community), by the policy's `chat.bind`: committee and admins, and a
 *   household group's head for their own group's chat. Notices reach those chats
 *   (src/features/notices/).
 * A chat has one purpose: binding it again rebinds it (a staff chat rebound elsewhere stops being
 * the inbox). Every binding is audited; so is every refusal (`checkAudited`).
 * Configured chats (`TELEGRAM_STAFF_CHAT_ID`, the room named by `WECHAT_STAFF_ROOM`) are bound as
 * the system's doing, purpose `staff`.
 */
import type { ChannelName } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { recordAudit } from '../features/audit/record-audit.js';
import { SKILLS } from '../features/community/vocabulary.js';
import type { Actor } from '../features/policy/actor.js';
import type { DenialReason } from '../features/policy/denials.js';
import { checkAudited } from '../features/policy/audited-check.js';
import { TARGETED_PURPOSES, boundChatRef, staffChatOn, type BoundChatRef, type ChatPurpose, type ChatRef } from './bound-chats.js';

export type SetupOutcome =
  | { status: 'bound'; chat: BoundChatRef }
  | { status: 'already'; chat: BoundChatRef }
  | { status: 'configured' }
  | { status: 'denied'; reason: DenialReason };

export interface SetupInput {
  communityId: string;
  actor: Actor;
  channel: ChannelName;
  chatId: string;
  isForum: boolean;
  /** The staff chat configuration names for this channel, if any. */
  configuredChatId?: string | undefined;
  at: Date;
}

/** `/setup_staff_chat` in a group (see the file's comment). */
export async function setupStaffChat(tx: Tx, input: SetupInput): Promise<SetupOutcome> {
  const decision = await checkAudited(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'staff_chat.setup',
    subject: { communityId: input.communityId },
    target: { type: 'staff_chat', id: null },
    details: { channel: input.channel },
    now: input.at,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  if (input.configuredChatId !== undefined && input.configuredChatId !== input.chatId) return { status: 'configured' };
  const chat: ChatRef = { channel: input.channel, chatId: input.chatId, isForum: input.isForum };
  const existing = await staffChatOn(tx, input.communityId, input.channel);
  if (existing && existing.chatId === input.chatId) {
    if (existing.isForum !== input.isForum) await tx.boundChat.update({ where: { id: existing.id }, data: { isForum: input.isForum } });
    return { status: 'already', chat: { ...existing, isForum: input.isForum } };
  }
  const boundById = input.actor.kind === 'person' ? input.actor.residentId : null;
  const row = await bindStaff(tx, input.communityId, chat, boundById, input.at);
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'staff_chat.setup',
    subjectType: 'staff_chat',
    subjectId: row.id,
    details: { channel: input.channel, forum: input.isForum, moved: existing !== null },
  });
  return { status: 'bound', chat: row };
}

export type BindGroupOutcome =
  | SetupOutcome
  | { status: 'target_missing'; purpose: ChatPurpose }
  | { status: 'target_not_allowed'; purpose: ChatPurpose }
  | { status: 'target_not_found'; purpose: ChatPurpose; target: string }
  | { status: 'target_ambiguous'; purpose: ChatPurpose; target: string; count: number };

export interface BindGroupInput extends SetupInput {
  purpose: ChatPurpose;
  /** What the chat serves, as typed: an area's path or name, a household group's code, a skill. */
  target?: string | undefined;
}

/** `/bind_group <purpose> [target]` in a group (see the file's comment); `staff` is `/setup_staff_chat`. */
export async function bindGroupChat(tx: Tx, input: BindGroupInput): Promise<BindGroupOutcome> {
  if (input.purpose === 'staff') return input.target === undefined ? setupStaffChat(tx, input) : { status: 'target_not_allowed', purpose: 'staff' };
  // A household group's head may bind their own group's chat: the policy reads which group the
  // code names (null when it names none, so a head is refused before learning whether it exists).
  const groupId = input.purpose === 'household_group' && input.target !== undefined ? await groupIdByCode(tx, input.communityId, input.target) : null;
  const decision = await checkAudited(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'chat.bind',
    subject: { communityId: input.communityId, groupId },
    target: { type: 'bound_chat', id: null },
    details: { channel: input.channel, purpose: input.purpose, ...(groupId ? { groupId } : {}) },
    now: input.at,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  const target = await resolveTarget(tx, input.communityId, input.purpose, input.target);
  if (target.status !== 'ok') return target;
  if (input.configuredChatId !== undefined && input.configuredChatId === input.chatId) return { status: 'configured' };
  const key = { communityId_channel_chatId: { communityId: input.communityId, channel: input.channel, chatId: input.chatId } };
  const existing = await tx.boundChat.findUnique({ where: key });
  if (existing && existing.purpose === input.purpose && existing.targetId === target.id) return { status: 'already', chat: boundChatRef(existing) };
  const boundById = input.actor.kind === 'person' ? input.actor.residentId : null;
  const data = { purpose: input.purpose, targetId: target.id, isForum: input.isForum, boundById, boundAt: input.at };
  const row = await tx.boundChat.upsert({
    where: key,
    create: { communityId: input.communityId, channel: input.channel, chatId: input.chatId, ...data },
    update: data,
  });
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'chat.bind',
    subjectType: 'bound_chat',
    subjectId: row.id,
    details: { channel: input.channel, purpose: input.purpose, targetId: target.id, rebound: existing !== null, ...(existing ? { was: existing.purpose } : {}) },
  });
  return { status: 'bound', chat: boundChatRef(row) };
}

/**
 * The staff chat configuration names (at start; a WeChat room once logged in). Nothing changes
 * when it is already bound; otherwise it is bound (audited as the system's doing).
 */
export async function bindConfiguredStaffChat(tx: Tx, communityId: string, chat: ChatRef, at: Date, title?: string): Promise<boolean> {
  const existing = await staffChatOn(tx, communityId, chat.channel);
  if (existing && existing.chatId === chat.chatId && existing.isForum === chat.isForum) return false;
  if (existing && existing.chatId === chat.chatId) {
    await tx.boundChat.update({ where: { id: existing.id }, data: { isForum: chat.isForum } });
    return true;
  }
  const row = await bindStaff(tx, communityId, chat, null, at, title);
  await recordAudit(tx, {
    communityId,
    actor: { kind: 'system' },
    action: 'staff_chat.setup',
    subjectType: 'staff_chat',
    subjectId: row.id,
    details: { channel: chat.channel, forum: chat.isForum, moved: existing !== null, configured: true },
  });
  return true;
}

/** Records that a staff chat turned out to be (or no longer be) a forum. */
export async function updateForumFlag(tx: Tx, communityId: string, chat: ChatRef): Promise<void> {
  await tx.boundChat.updateMany({ where: { communityId, channel: chat.channel, chatId: chat.chatId }, data: { isForum: chat.isForum } });
}

/**
 * Makes `chat` the channel's one staff chat. The binding moves (the row keeps its id, which audit
 * rows name) unless the chat was bound for another purpose: then that binding becomes the staff
 * chat and the old staff chat's is dropped. Bindings of one channel follow each other (a lock to
 * the end of the transaction), so two chats bound at once cannot both end up the staff chat.
 */
async function bindStaff(tx: Tx, communityId: string, chat: ChatRef, boundById: string | null, at: Date, title: string | null = null): Promise<BoundChatRef> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`staff-chat:${communityId}:${chat.channel}`}))`;
  const current = await staffChatOn(tx, communityId, chat.channel);
  const there = await tx.boundChat.findUnique({ where: { communityId_channel_chatId: { communityId, channel: chat.channel, chatId: chat.chatId } } });
  const data = { purpose: 'staff', targetId: null, chatId: chat.chatId, isForum: chat.isForum, boundById, boundAt: at, title };
  if (there) {
    if (current && current.id !== there.id) await tx.boundChat.delete({ where: { id: current.id } });
    return boundChatRef(await tx.boundChat.update({ where: { id: there.id }, data }));
  }
  if (current) return boundChatRef(await tx.boundChat.update({ where: { id: current.id }, data }));
  return boundChatRef(await tx.boundChat.create({ data: { communityId, channel: chat.channel, ...data } }));
}

async function groupIdByCode(tx: Tx, communityId: string, code: string): Promise<string | null> {
  const group = await tx.householdGroup.findUnique({ where: { communityId_code: { communityId, code } }, select: { id: true } });
  return group?.id ?? null;
}

type ResolvedTarget =
  | { status: 'ok'; id: string | null }
  | { status: 'target_missing' | 'target_not_allowed'; purpose: ChatPurpose }
  | { status: 'target_not_found'; purpose: ChatPurpose; target: string }
  | { status: 'target_ambiguous'; purpose: ChatPurpose; target: string; count: number };

/** What a purpose's target words name: an area (path, or a name only one area has), a household group's code, a skill. */
async function resolveTarget(tx: Tx, communityId: string, purpose: ChatPurpose, words: string | undefined): Promise<ResolvedTarget> {
  if (!TARGETED_PURPOSES.includes(purpose)) return words === undefined ? { status: 'ok', id: null } : { status: 'target_not_allowed', purpose };
  if (words === undefined) return purpose === 'service_team' ? { status: 'ok', id: null } : { status: 'target_missing', purpose };
  if (purpose === 'service_team') {
    const skill = SKILLS.find((known) => known === words.toLowerCase());
    return skill ? { status: 'ok', id: skill } : { status: 'target_not_found', purpose, target: words };
  }
  if (purpose === 'household_group') {
    const group = await tx.householdGroup.findUnique({ where: { communityId_code: { communityId, code: words } }, select: { id: true } });
    return group ? { status: 'ok', id: group.id } : { status: 'target_not_found', purpose, target: words };
  }
  const areas = await tx.area.findMany({ where: { communityId, OR: [{ path: words }, { name: words }] }, select: { id: true, path: true } });
  const exact = areas.find((area) => area.path === words);
  if (exact) return { status: 'ok', id: exact.id };
  if (areas.length === 1) return { status: 'ok', id: areas[0]!.id };
  return areas.length === 0 ? { status: 'target_not_found', purpose, target: words } : { status: 'target_ambiguous', purpose, target: words, count: areas.length };
}
