/**
 * Approving or rejecting a binding request from the staff console: the identity feature's one
 * way (`approveBindingRequestIn` / `rejectBindingRequestIn`: policy with the viewer's roles, the
 * guarded status change, the audit row, the person told in chat, the staff chats' line), in one
 * transaction. The caller dispatches the returned outbox rows after the commit.
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { EventPublisher } from '../../events/index.js';
import {
  approveBindingRequestIn,
  rejectBindingRequestIn,
  type ApproveOutcome,
  type Decided,
  type DecisionInput,
  type RejectOutcome,
} from '../../features/identity/binding-requests.js';
import type { Actor } from '../../features/policy/actor.js';
import type { AccountNotifier } from '../../notify/account-notifier.js';

export interface DecideRequestInput {
  communityId: string;
  actor: Actor;
  /** The request's number, as in the page's address. */
  number: number;
  decision: 'approve' | 'reject';
  /** For approve: the household chosen from the roster search; without it, the roster's one match. */
  householdCode?: string;
  /** Writes the person's message in their language. */
  notifier: AccountNotifier;
  /** The staff chats hear of the decision through it (their line saying who decided). */
  events?: EventPublisher;
  now: Date;
}

/** The decision's outcome and the person's message rows, to dispatch after commit. */
export function decideBindingRequest(prisma: PrismaClient, input: DecideRequestInput): Promise<Decided<ApproveOutcome | RejectOutcome>> {
  const decision: DecisionInput = {
    communityId: input.communityId,
    number: input.number,
    actor: input.actor,
    notifier: input.notifier,
    now: input.now,
    ...(input.events ? { events: input.events } : {}),
  };
  return prisma.$transaction(async (tx): Promise<Decided<ApproveOutcome | RejectOutcome>> => {
    if (input.decision === 'reject') return rejectBindingRequestIn(tx, decision);
    const householdCode = input.householdCode?.trim();
    return approveBindingRequestIn(tx, { ...decision, ...(householdCode ? { householdCode } : {}) });
  });
}
