/**
 * After a group chat is bound for notices (`/bind_group`, answered by the staff inbox behind this
 * handler), whether the bot may post there: on a channel that can say so (`PostingRights`, e.g.
 * Telegram, where a group's admins may take a member's right to send messages) and says it may
 * not, the person who bound it is told in their private chat — the group would never see the
 * inbox's confirmation — that the bot needs the right to post there. Every message goes on to the
 * inbox unchanged; this only looks after it.
 */
import type { InboundMessage, PostingRights } from '../../../channels/types.js';
import type { Speaker } from '../../../conversation/conversation-service.js';
import type { MessageHandler } from '../../../conversation/router.js';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../../../outbox/outbox.js';

const BIND_COMMAND = /^[/／]bind_group(?:@[A-Za-z0-9_]+)?(?=\s|$)/i;

export interface BindPostingDeps {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  /** The channels that can say whether the bot may post (known once the channels started). */
  posting: () => readonly PostingRights[];
}

export function bindPostingCheck(deps: BindPostingDeps, next: MessageHandler): MessageHandler {
  return {
    async handleMessage(speaker, inbound, receipt) {
      await next.handleMessage(speaker, inbound, receipt);
      if (inbound.chatType !== 'group' || inbound.kind !== 'text' || !BIND_COMMAND.test(inbound.text?.trim() ?? '')) return;
      await tellIfCannotPost(deps, speaker, inbound);
    },
  };
}

async function tellIfCannotPost(deps: BindPostingDeps, speaker: Speaker, inbound: InboundMessage): Promise<void> {
  const rights = deps.posting().find((channel) => channel.name === inbound.channel);
  if (!rights) return;
  const bound = await deps.prisma.boundChat.findUnique({
    where: { communityId_channel_chatId: { communityId: deps.communityId, channel: inbound.channel, chatId: inbound.chatId } },
    select: { purpose: true },
  });
  if (!bound || bound.purpose === 'staff') return;
  if ((await rights.canPostIn(inbound.chatId)) !== false) return;
  const community = await deps.prisma.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { defaultLocale: true } });
  const text = deps.translator.t(speaker.locale ?? community.defaultLocale, 'notices.send.bind.cannot_post');
  // A private chat's id is the person's own id on every channel.
  const rows = await deps.prisma.$transaction((tx) =>
    writeOutbox(tx, [{ communityId: deps.communityId, channel: inbound.channel, chatId: inbound.senderId, chatAccountId: speaker.chatAccountId, message: { text }, priority: PRIORITY_REPLY }]),
  );
  await deps.outbox.dispatch(rows);
}
