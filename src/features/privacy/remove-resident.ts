/**
 * Removing a person: the community keeps its records (households, tickets, the audit log), the
 * person is stripped from them. Runs in the caller's transaction:
 * - every chat account that spoke for them is unbound (it becomes a visitor again);
 * - their binding requests (which hold the name, address and phone they typed) are deleted,
 *   from their accounts and those approved for them;
 * - their roles end (deleted), they stop heading their group, their invite codes are deleted
 *   (an unused one could otherwise still bind a new account to a person who is gone);
 * - what their chats leave behind is cleared (`scrub-chat-history.ts`: sent texts, web chat
 *   history, answers of finished flows);
 * - the photos they sent, and those of the tickets they reported or filed, are forgotten
 *   (`photo-sweep.ts`): taken off the tickets now, their files deleted by the next photo sweep;
 * - the Resident row is deleted. Tables that point at a resident (tickets, jobs, meeting
 *   answers…) reference it with ON DELETE SET NULL: the record stays, without the person.
 * - one audit row: who removed whom (ids) and counts, never the name.
 * A person may remove themself; removing someone else needs an admin (`resident.remove`).
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';
import { recordAudit } from '../audit/record-audit.js';
import { actorVia, type Actor } from '../policy/actor.js';
import { loadResidentSubject } from '../policy/load-subjects.js';
import { assertCan } from '../policy/policy.js';
import { forgetPhotosOf } from './photo-sweep.js';
import { scrubChatHistory } from './scrub-chat-history.js';

/** Whom to remove, and who asks. */
export interface RemoveResidentRequest {
  residentId: string;
  /** The community the request is made in; default: the resident's own. */
  communityId?: string;
  actor: Actor;
  /** When terms are judged (default: now). */
  now?: Date;
  log?: Logger;
}

/** What was stripped (also the audit row's details). */
export interface RemoveResidentResult {
  accountsUnbound: number;
  bindingRequestsDeleted: number;
  rolesEnded: number;
  inviteCodesDeleted: number;
  wasGroupHead: boolean;
  messagesCleared: number;
  webMessagesDeleted: number;
  flowAnswersCleared: number;
  photosForgotten: number;
}

/** Thrown when the person to remove is not in the community. */
export class ResidentNotFoundError extends Error {
  override readonly name = 'ResidentNotFoundError';
  constructor(readonly residentId: string) {
    super(`resident ${residentId} not found`);
  }
}

/**
 * Removes the person as described above; throws `PolicyDeniedError` (nothing changed) when the
 * actor may not, `ResidentNotFoundError` when there is no such person in the community.
 */
export async function removeResident(tx: Tx, request: RemoveResidentRequest): Promise<RemoveResidentResult> {
  const { residentId, actor } = request;
  const communityId =
    request.communityId ?? (await tx.resident.findUnique({ where: { id: residentId }, select: { communityId: true } }))?.communityId;
  const subject = communityId ? await loadResidentSubject(tx, communityId, residentId) : null;
  if (!subject) throw new ResidentNotFoundError(residentId);
  assertCan(actor, 'resident.remove', subject, request.now ? { now: request.now } : {});
  const { communityId: community } = subject;

  const accounts = await tx.chatAccount.findMany({ where: { residentId }, select: { id: true } });
  const accountIds = accounts.map((account) => account.id);
  const requests = await tx.bindingRequest.deleteMany({
    where: { communityId: community, OR: [{ residentId }, { chatAccountId: { in: accountIds } }] },
  });
  const unbound = await tx.chatAccount.updateMany({ where: { residentId }, data: { residentId: null, boundAt: null } });
  const roles = await tx.roleAssignment.deleteMany({ where: { residentId } });
  const headed = await tx.householdGroup.updateMany({ where: { headId: residentId }, data: { headId: null } });
  const invites = await tx.inviteCode.deleteMany({ where: { residentId } });
  // What they wrote in tickets goes with them (TicketEvent.text); the tickets stay for the record.
  await tx.ticketEvent.updateMany({ where: { actorId: residentId }, data: { text: null, photos: [] } });
  const scrubbed = await scrubChatHistory(tx, community, accountIds);
  const photosForgotten = await forgetPhotosOf(tx, { communityId: community, residentId, accountIds, at: request.now ?? new Date() });
  await tx.resident.delete({ where: { id: residentId } });

  const result: RemoveResidentResult = {
    accountsUnbound: unbound.count,
    bindingRequestsDeleted: requests.count,
    rolesEnded: roles.count,
    inviteCodesDeleted: invites.count,
    wasGroupHead: headed.count > 0,
    ...scrubbed,
    photosForgotten,
  };
  await recordAudit(tx, {
    communityId: community,
    actor,
    action: 'resident.remove',
    subjectType: 'resident',
    subjectId: residentId,
    details: { ...result, householdId: subject.householdId, self: actor.kind === 'person' && actor.residentId === residentId },
  });
  request.log?.info({ residentId, via: actorVia(actor), ...result }, 'resident removed');
  return result;
}
