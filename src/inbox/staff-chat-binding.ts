/**
 * Binding a chat as the community's staff inbox: by an admin or committee member sending
 * `/setup_staff_chat` in the group, or by configuration (`TELEGRAM_STAFF_CHAT_ID`, the room named
 * by `WECHAT_STAFF_ROOM`). One staff chat per channel; binding another moves the inbox there (new
 * tickets go to the new chat; a ticket already posted gets a fresh card there on its next change).
 * Configuration wins: with `TELEGRAM_STAFF_CHAT_ID` set, the command cannot move the Telegram inbox.
 *
 * Who may bind: the policy's `staff_chat.setup` (committee and admins): the staff chat receives
 * every ticket with names and masked phones, and the community-wide digest.
 */
import type { ChannelName } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { recordAudit } from '../features/audit/record-audit.js';
import type { Actor } from '../features/policy/actor.js';
import type { DenialReason } from '../features/policy/denials.js';
import { checkAudited } from '../features/policy/audited-check.js';
import type { StaffChatRef } from './staff-posts.js';

export type SetupOutcome =
  | { status: 'bound'; chat: StaffChatRef }
  | { status: 'already'; chat: StaffChatRef }
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
  const chat: StaffChatRef = { channel: input.channel, chatId: input.chatId, isForum: input.isForum };
  if (input.configuredChatId !== undefined && input.configuredChatId !== input.chatId) return { status: 'configured' };
  const existing = await tx.staffChat.findUnique({ where: { communityId_channel: { communityId: input.communityId, channel: input.channel } } });
  if (existing && existing.chatId === input.chatId) {
    if (existing.isForum !== input.isForum) await tx.staffChat.update({ where: { id: existing.id }, data: { isForum: input.isForum } });
    return { status: 'already', chat };
  }
  const boundById = input.actor.kind === 'person' ? input.actor.residentId : null;
  const row = await bind(tx, input.communityId, chat, boundById, input.at);
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'staff_chat.setup',
    subjectType: 'staff_chat',
    subjectId: row.id,
    details: { channel: input.channel, forum: input.isForum, moved: existing !== null },
  });
  return { status: 'bound', chat };
}

/**
 * The staff chat configuration names (at start; a WeChat room once logged in). Nothing changes
 * when it is already bound; otherwise it is bound (audited as the system's doing).
 */
export async function bindConfiguredStaffChat(tx: Tx, communityId: string, chat: StaffChatRef, at: Date, title?: string): Promise<boolean> {
  const existing = await tx.staffChat.findUnique({ where: { communityId_channel: { communityId, channel: chat.channel } } });
  if (existing && existing.chatId === chat.chatId && existing.isForum === chat.isForum) return false;
  if (existing && existing.chatId === chat.chatId) {
    await tx.staffChat.update({ where: { id: existing.id }, data: { isForum: chat.isForum } });
    return true;
  }
  const row = await bind(tx, communityId, chat, null, at, title);
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
export async function updateForumFlag(tx: Tx, communityId: string, chat: StaffChatRef): Promise<void> {
  await tx.staffChat.updateMany({ where: { communityId, channel: chat.channel, chatId: chat.chatId }, data: { isForum: chat.isForum } });
}

async function bind(tx: Tx, communityId: string, chat: StaffChatRef, boundById: string | null, at: Date, title: string | null = null): Promise<{ id: string }> {
  return tx.staffChat.upsert({
    where: { communityId_channel: { communityId, channel: chat.channel } },
    create: { communityId, channel: chat.channel, chatId: chat.chatId, isForum: chat.isForum, boundById, boundAt: at, title },
    update: { chatId: chat.chatId, isForum: chat.isForum, boundById, boundAt: at, title },
    select: { id: true },
  });
}
