/**
 * Staff release a ticket's words (description, place as typed) for the open data feed, when the
 * resident did not agree to it while filing — e.g. a report about a broken lamp that the committee
 * wants the public to read. The policy decides who may (`ticket.publish_text`), the refusal and the
 * release are audited, and an anonymous report's words are never released.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { checkAudited } from '../../policy/audited-check.js';
import type { DenialReason } from '../../policy/denials.js';
import { loadTicketSubject } from './ticket-subject.js';

export interface PublishTextInput {
  communityId: string;
  actor: Actor;
  ticketId: string;
  at: Date;
}

export type PublishTextOutcome =
  | { status: 'published'; number: string }
  | { status: 'already'; number: string }
  /** The resident asked to keep their name from others: their words stay out of the feed. */
  | { status: 'anonymous'; number: string }
  | { status: 'denied'; reason: DenialReason }
  | { status: 'not_found' };

/** Releases the words, in the caller's transaction (see the file's comment). */
export async function publishTicketText(tx: Tx, input: PublishTextInput): Promise<PublishTextOutcome> {
  const subject = await loadTicketSubject(tx, input.communityId, input.ticketId);
  if (!subject) return { status: 'not_found' };
  const decision = await checkAudited(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'ticket.publish_text',
    subject,
    target: { type: 'ticket', id: input.ticketId },
    now: input.at,
  });
  if (!decision.allowed) return { status: 'denied', reason: decision.reason };
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId }, select: { number: true, anonymous: true, publishText: true } });
  if (ticket.anonymous) return { status: 'anonymous', number: ticket.number };
  const released = await tx.ticket.updateMany({ where: { id: input.ticketId, publishText: false, anonymous: false }, data: { publishText: true } });
  if (released.count === 0) return { status: 'already', number: ticket.number };
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'ticket.publish_text',
    subjectType: 'ticket',
    subjectId: input.ticketId,
  });
  return { status: 'published', number: ticket.number };
}
