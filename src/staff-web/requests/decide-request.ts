/**
 * Approving or rejecting a binding request from the staff console: the identity feature's one
 * way (`approveBindingRequestIn` / `rejectBindingRequestIn`: policy with the viewer's roles, the
 * guarded status change, the audit row, the person told in chat, the staff chats' line), in one
 * transaction. Given the outbox, the person's message, the staff chats' line and the open pages'
 * refresh go out right after the commit; without it the caller dispatches the returned rows (and
 * the server's sweeps send the rest).
 */
import { finishCommitted, transactionWithAfterCommit } from '../../db/after-commit.js';
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
import type { OutboxDispatcher } from '../../outbox/outbox.js';

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
  /** Sends the person's message and what the decision left for after its commit, right after it. */
  outbox?: Pick<OutboxDispatcher, 'dispatch'>;
  now: Date;
}

/** The decision's outcome and the person's message rows (already dispatched when `input.outbox` is given). */
export async function decideBindingRequest(prisma: PrismaClient, input: DecideRequestInput): Promise<Decided<ApproveOutcome | RejectOutcome>> {
  const decision: DecisionInput = {
    communityId: input.communityId,
    number: input.number,
    actor: input.actor,
    notifier: input.notifier,
    now: input.now,
    ...(input.events ? { events: input.events } : {}),
  };
  const committed = await transactionWithAfterCommit(prisma, async (tx): Promise<Decided<ApproveOutcome | RejectOutcome>> => {
    if (input.decision === 'reject') return rejectBindingRequestIn(tx, decision);
    const householdCode = input.householdCode?.trim();
    return approveBindingRequestIn(tx, { ...decision, ...(householdCode ? { householdCode } : {}) });
  });
  if (input.outbox) await finishCommitted(committed, input.outbox, committed.value.rows);
  return committed.value;
}
