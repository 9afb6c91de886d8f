/**
 * Dispatch's lines in a repair ticket's thread in the staff chats (the inbox's own writer, so a
 * reply to one reaches the ticket), and its posts to the chats bound for the job's team
 * (`service_team`, the skill as target; a chat bound to the whole team, no target, hears every
 * job). Both in the community's language or the chat's own, in the caller's transaction, queued
 * after commit.
 */
import { queueAfterCommit } from '../../../../db/after-commit.js';
import type { Tx } from '../../../../db/prisma-types.js';
import { BoundChatPoster } from '../../../../inbox/bound-chat-poster.js';
import { boundChatsFor } from '../../../../inbox/bound-chats.js';
import { writeAnswer, writeTicketPosts } from '../../../../inbox/staff-posts.js';
import { topicName } from '../../../../inbox/ticket-card.js';
import { loadInboxCommunity } from '../../../../inbox/ticket-context.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import type { DispatchDeps } from './dispatch-deps.js';
import type { JobFacts } from './job-facts.js';

/** Writes `text(locale)` as a line of the job's ticket in every staff chat. */
export async function writeStaffLine(tx: Tx, deps: DispatchDeps, job: JobFacts, text: (locale: string) => string): Promise<QueuedOutboxRow[]> {
  const chats = await boundChatsFor(tx, job.communityId, 'staff');
  if (chats.length === 0) return [];
  const community = await loadInboxCommunity(tx, job.communityId);
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: job.ticketId }, select: { number: true, category: true } });
  const rows = await writeTicketPosts(
    tx,
    job.communityId,
    chats.map((chat) => {
      const locale = chat.locale ?? community.defaultLocale;
      return { chat, ticketId: job.ticketId, part: 'line' as const, topicName: topicName(deps.translator, community, ticket, locale), text: text(locale) };
    }),
    deps.textLimitOf,
    deps.capabilitiesOf,
  );
  queueAfterCommit(tx, rows);
  return rows;
}

/** Posts `text(locale)` to the chats bound to the job's team: its skill's chats and the whole team's (bound with no skill). */
export async function writeTeamPost(tx: Tx, deps: DispatchDeps, job: JobFacts, text: (locale: string) => string): Promise<QueuedOutboxRow[]> {
  return new BoundChatPoster(deps.capabilitiesOf).post(tx, { communityId: job.communityId, purpose: 'service_team' }, async ({ chat, locale }) =>
    chat.targetId === null || chat.targetId === job.skill ? writeAnswer(tx, job.communityId, chat, text(locale), deps.textLimitOf) : [],
  );
}
