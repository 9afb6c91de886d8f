/**
 * `/rollcall [TZ-2026-00003]` in the staff chat: where an alert's roll-call stands (the latest
 * alert when no number is given), counted as the sender may see it (`loadRollCall`: policy,
 * refusal audited). Anywhere but a chat bound for staff it is refused with the inbox's words;
 * someone who is not staff there is left alone, as the inbox does. Every other message goes on.
 */
import type { InboundMessage } from '../../../channels/types.js';
import type { Speaker } from '../../../conversation/conversation-service.js';
import type { InboundReceipt } from '../../../conversation/inbound-records.js';
import { runSettledTurn } from '../../../conversation/settled-turn.js';
import type { MessageHandler } from '../../../conversation/router.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { Vars } from '../../../i18n/translator.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { denialMessageKey } from '../../policy/denials.js';
import { loadActor } from '../../policy/load-actor.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import type { NoticeAnswerDeps } from '../answers/answer-deps.js';
import { replyInChat } from '../answers/reply-in-chat.js';
import { loadRollCall } from './roll-call-status.js';
import { rollCallText } from './roll-call-text.js';

const COMMAND = /^[/／]rollcall(?:@[A-Za-z0-9_]+)?(?:\s+(\S+))?\s*$/i;

/** The alert number typed after `/rollcall` ('' for none), or null when the text is not the command. */
export function parseRollCallCommand(text: string | undefined): string | null {
  const match = text ? COMMAND.exec(text.trim()) : null;
  return match ? (match[1] ?? '') : null;
}

export function staffRollCallHandler(deps: NoticeAnswerDeps, next: MessageHandler): MessageHandler {
  return {
    async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
      const number = inbound.kind === 'text' ? parseRollCallCommand(inbound.text) : null;
      if (number === null) return next.handleMessage(speaker, inbound, receipt);
      await runSettledTurn(deps.prisma, deps.outbox, receipt, (tx) => answer(tx, deps, speaker, inbound, number), { timeout: 20_000, maxWait: 20_000 });
    },
  };
}

async function answer(tx: Tx, deps: NoticeAnswerDeps, speaker: Speaker, inbound: InboundMessage, number: string): Promise<QueuedOutboxRow[]> {
  const { communityId, translator } = deps;
  const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
  const locale = speaker.locale ?? community.defaultLocale;
  const t = (key: string, vars: Vars = {}) => translator.t(locale, key, vars);
  const say = (key: string, vars: Record<string, string | number> = {}) => replyInChat(tx, communityId, inbound, speaker.chatAccountId, t(key, vars), deps.textLimitOf);
  const staffChat = inbound.chatType === 'group' ? await tx.boundChat.findFirst({ where: { communityId, channel: inbound.channel, chatId: inbound.chatId, purpose: 'staff' }, select: { id: true } }) : null;
  if (!staffChat) return say('inbox.answer.only_in_staff_chat');
  const now = deps.now();
  const actor = await loadActor(tx, { chatAccountId: speaker.chatAccountId }, { now });
  if (!actor || actor.kind !== 'person') return [];
  const found = await loadRollCall(tx, { communityId, actor, number: number || null, now });
  if (found.status === 'not_found') return say(number ? 'notices.rollcall.command.not_found' : 'notices.rollcall.command.none', { number });
  if (found.status === 'denied') return say(denialMessageKey(found.reason));
  const timezone = (await loadTicketSettings(tx, communityId)).timezone;
  return replyInChat(tx, communityId, inbound, speaker.chatAccountId, rollCallText(t, found.rollCall, now, timezone), deps.textLimitOf);
}
