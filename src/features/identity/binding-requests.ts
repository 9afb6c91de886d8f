/**
 * "I live here but have no code": a visitor asks in chat to be bound (name, address, phone) and
 * gets a short number; the staff chat is shown the request (through the `binding_request.changed`
 * event: the staff inbox), and staff approve or reject it there (buttons, `/approve <number>`) or with
 * `linli approve <number> [--household <code>]` / `linli reject`. Approval binds the account to the
 * household's member of that name, or adds the person to the household; either way the person is
 * told in chat, in their language, and the decision is written to the audit log — all in one
 * transaction. Every way of deciding goes through `approveBindingRequestIn` /
 * `rejectBindingRequestIn`.
 */
import type { AccountNotifier } from '../../notify/account-notifier.js';
import type { PrismaClient, Tx } from '../../db/prisma-types.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../../outbox/outbox.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Actor } from '../policy/actor.js';
import { areaAncestry } from '../policy/area-ancestry.js';
import type { DenialReason } from '../policy/denials.js';
import { auditRefusal, checkAudited } from '../policy/audited-check.js';
import { explain, PolicyDeniedError } from '../policy/policy.js';
import { linkAccount } from './bind-code.js';
import type { EventPublisher } from '../../events/index.js';
import './identity-events.js';
import { cleanName, sameName } from './person-names.js';
import { rosterMatch } from './roster-match.js';
import { checkBindsStaff } from './staff-binding.js';

// ---------------------------------------------------------------- from chat

export interface BindingRequestInput {
  communityId: string;
  chatAccountId: string;
  name: string;
  address: string;
  /** Digits only (the flow's phone question normalises it). */
  phone: string;
  /** `binding_request.changed` is published on it in this transaction (the staff chat's post). */
  events?: EventPublisher;
}

export type BindingRequestOutcome =
  | { status: 'created'; number: number }
  /** The account already has a request waiting: its number, nothing new is created. */
  | { status: 'pending'; number: number }
  | { status: 'already_bound'; name: string };

/** Most characters kept of a typed name or address (the flow asks for less). */
const MAX_NAME = 50;
const MAX_ADDRESS = 200;

/**
 * Files a request from chat and gives it the community's next number. One request waits per
 * account: asking again answers with the number already given.
 */
export async function createBindingRequest(tx: Tx, input: BindingRequestInput): Promise<BindingRequestOutcome> {
  const account = await tx.chatAccount.findUniqueOrThrow({
    where: { id: input.chatAccountId },
    select: { resident: { select: { name: true } } },
  });
  if (account.resident) return { status: 'already_bound', name: account.resident.name };
  const waiting = await tx.bindingRequest.findFirst({
    where: { communityId: input.communityId, chatAccountId: input.chatAccountId, status: 'pending' },
    select: { number: true },
  });
  if (waiting) return { status: 'pending', number: waiting.number };

  // Numbers are handed out one at a time per community: a lock held to the end of this
  // transaction, so two requests never take the same number (and no unique violation aborts it).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`binding-request:${input.communityId}`}))`;
  const last = await tx.bindingRequest.aggregate({ where: { communityId: input.communityId }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const request = await tx.bindingRequest.create({
    data: {
      communityId: input.communityId,
      number,
      chatAccountId: input.chatAccountId,
      name: clip(cleanName(input.name), MAX_NAME),
      address: clip(input.address, MAX_ADDRESS),
      phone: input.phone,
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: { kind: 'visitor', chatAccountId: input.chatAccountId, communityId: input.communityId },
    action: 'binding.request',
    subjectType: 'binding_request',
    subjectId: request.id,
    details: { number },
  });
  await input.events?.publish(tx, 'binding_request.changed', { communityId: input.communityId, requestId: request.id, number, kind: 'filed' });
  return { status: 'created', number };
}

// ---------------------------------------------------------------- staff decisions

export interface DecisionInput {
  communityId: string;
  /** The request's number, as the person was told it. */
  number: number;
  /** Who decides: the operator (`linli approve`), or staff whose area covers the household. */
  actor: Actor;
  /** Writes the message to the person, in the words of the caller's translator. */
  notifier: AccountNotifier;
  /** Sends that message at once after commit; without it the server's outbox sweep sends it. */
  outbox?: Pick<OutboxDispatcher, 'dispatch'>;
  /** `binding_request.changed` is published on it in the decision's transaction (the staff chat's line saying who decided). */
  events?: EventPublisher;
  now?: Date;
}

export interface ApproveInput extends DecisionInput {
  /** The office's household code (`Household.code`) the person lives in. */
  householdCode?: string;
}

export type ApproveOutcome =
  | {
      status: 'approved';
      residentId: string;
      /** true: the person was added to the household; false: an existing member was matched by name. */
      createdResident: boolean;
      householdId: string | null;
    }
  | { status: 'not_found' }
  /** Already approved or rejected: nothing changes. */
  | { status: 'already_decided'; decision: string }
  | { status: 'household_not_found' }
  /** No household given and no single person on the roster has this name and phone. */
  | { status: 'household_required' }
  /** The account was bound to someone else meanwhile (with a code): nothing changes. */
  | { status: 'account_bound' };

export type RejectOutcome = { status: 'rejected' } | { status: 'not_found' } | { status: 'already_decided'; decision: string };

/** The policy refused the actor (the attempt is audited); nothing else changed. */
export type DecisionDenied = { status: 'denied'; reason: DenialReason };

/** A decision taken in the caller's transaction: its outcome, and the person's message to dispatch after commit. */
export interface Decided<O> {
  outcome: O | DecisionDenied;
  rows: QueuedOutboxRow[];
}

/**
 * Approves a request: binds the account to the member of the household with the request's name,
 * or adds the person to the household. Without `householdCode` the request must match exactly
 * one person on the roster by name and phone. Tells the person in chat and records the decision.
 * Throws `PolicyDeniedError` (after recording the refusal) when the actor may not decide it.
 */
export async function approveBindingRequest(prisma: PrismaClient, input: ApproveInput): Promise<ApproveOutcome> {
  const { outcome, rows } = await prisma.$transaction((tx) => approveBindingRequestIn(tx, input));
  if (outcome.status === 'denied') throw new PolicyDeniedError('binding.approve', outcome.reason);
  await input.outbox?.dispatch(rows);
  return outcome;
}

/** Rejects a request; the person is told (with the office's phone) and may ask again. */
export async function rejectBindingRequest(prisma: PrismaClient, input: DecisionInput): Promise<RejectOutcome> {
  const { outcome, rows } = await prisma.$transaction((tx) => rejectBindingRequestIn(tx, input));
  if (outcome.status === 'denied') throw new PolicyDeniedError('binding.approve', outcome.reason);
  await input.outbox?.dispatch(rows);
  return outcome;
}

/**
 * `approveBindingRequest` in the caller's transaction (the staff inbox's turn): a refusal by the
 * policy is an outcome, not an exception, so the refusal's audit row and the polite answer commit.
 * The caller dispatches `rows` after commit.
 */
export async function approveBindingRequestIn(tx: Tx, input: ApproveInput): Promise<Decided<ApproveOutcome>> {
  const now = input.now ?? new Date();
  const { notifier } = input;
  const none = (outcome: ApproveOutcome | DecisionDenied): Decided<ApproveOutcome> => ({ outcome, rows: [] });
  const request = await findRequest(tx, input);
  const refused = await refusedOutright(tx, input, 'binding.approve', request, now);
  if (refused) return none(refused);
  if (!request) return none({ status: 'not_found' });
  if (request.status !== 'pending') return none({ status: 'already_decided', decision: request.status });

  let household: { id: string; areaId: string } | null = null;
  let match: { id: string } | null = null;
  if (input.householdCode !== undefined) {
    household = await tx.household.findUnique({
      where: { communityId_code: { communityId: input.communityId, code: input.householdCode.trim() } },
      select: { id: true, areaId: true },
    });
    if (!household) return none({ status: 'household_not_found' });
    const members = await tx.resident.findMany({ where: { householdId: household.id }, select: { id: true, name: true } });
    match = members.find((member) => sameName(member.name, request.name)) ?? null;
  } else {
    const found = await rosterMatch(tx, input.communityId, request);
    if (!found) return none({ status: 'household_required' });
    match = { id: found.residentId };
    household = found.household;
  }
  const areaIds = household ? await areaAncestry(tx, household.areaId) : [];
  const decision = await checkAudited(tx, { ...refusalAudit(input, request, now), action: 'binding.approve', subject: { communityId: input.communityId, areaIds } });
  if (!decision.allowed) return none({ status: 'denied', reason: decision.reason });
  // Binding an account to someone on the staff hands over their role: only those who manage staff.
  if (match) {
    const staff = await checkBindsStaff(tx, { ...refusalAudit(input, request, now), residentId: match.id, auditAction: 'binding.approve' });
    if (!staff.allowed) return none({ status: 'denied', reason: staff.reason });
  }

  const account = await tx.chatAccount.findUniqueOrThrow({ where: { id: request.chatAccountId }, select: { residentId: true } });
  if (account.residentId && account.residentId !== match?.id) return none({ status: 'account_bound' });

  // Two staff approving at once: only one passes this guard.
  const claimed = await tx.bindingRequest.updateMany({
    where: { id: request.id, status: 'pending' },
    data: { status: 'approved', decidedAt: now },
  });
  if (claimed.count !== 1) return none({ status: 'already_decided', decision: 'approved' });

  const createdResident = match === null;
  const residentId = match?.id ?? (await addToHousehold(tx, input.communityId, household!.id, request)).id;
  await tx.bindingRequest.update({ where: { id: request.id }, data: { residentId }, select: { id: true } });
  const resident = await linkAccount(tx, request.chatAccountId, residentId, now);
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'binding.approve',
    subjectType: 'binding_request',
    subjectId: request.id,
    details: { number: request.number, residentId, createdResident, householdId: household?.id ?? null },
  });
  const rows = await notifier.write(tx, {
    chatAccountId: request.chatAccountId,
    key: 'identity.notice.approved',
    vars: { number: request.number, name: resident.name },
  });
  await input.events?.publish(tx, 'binding_request.changed', {
    communityId: input.communityId,
    requestId: request.id,
    number: request.number,
    kind: 'approved',
    decidedBy: input.actor,
  });
  return { outcome: { status: 'approved', residentId, createdResident, householdId: household?.id ?? null }, rows };
}

/** `rejectBindingRequest` in the caller's transaction (see `approveBindingRequestIn`). */
export async function rejectBindingRequestIn(tx: Tx, input: DecisionInput): Promise<Decided<RejectOutcome>> {
  const now = input.now ?? new Date();
  const { notifier } = input;
  const none = (outcome: RejectOutcome | DecisionDenied): Decided<RejectOutcome> => ({ outcome, rows: [] });
  const request = await findRequest(tx, input);
  const refused = await refusedOutright(tx, input, 'binding.reject', request, now);
  if (refused) return none(refused);
  if (!request) return none({ status: 'not_found' });
  if (request.status !== 'pending') return none({ status: 'already_decided', decision: request.status });
  // Nothing tells where the person lives yet: only staff of the whole community may turn it down.
  const decision = await checkAudited(tx, {
    ...refusalAudit(input, request, now),
    action: 'binding.approve',
    auditAction: 'binding.reject',
    subject: { communityId: input.communityId, areaIds: [] },
  });
  if (!decision.allowed) return none({ status: 'denied', reason: decision.reason });
  const claimed = await tx.bindingRequest.updateMany({
    where: { id: request.id, status: 'pending' },
    data: { status: 'rejected', decidedAt: now },
  });
  if (claimed.count !== 1) return none({ status: 'already_decided', decision: 'rejected' });
  await recordAudit(tx, {
    communityId: input.communityId,
    actor: input.actor,
    action: 'binding.reject',
    subjectType: 'binding_request',
    subjectId: request.id,
    details: { number: request.number },
  });
  const rows = await notifier.write(tx, {
    chatAccountId: request.chatAccountId,
    key: 'identity.notice.rejected',
    vars: { number: request.number },
  });
  await input.events?.publish(tx, 'binding_request.changed', {
    communityId: input.communityId,
    requestId: request.id,
    number: request.number,
    kind: 'rejected',
    decidedBy: input.actor,
  });
  return { outcome: { status: 'rejected' }, rows };
}

type FoundRequest = Awaited<ReturnType<typeof findRequest>>;

/**
 * Someone who may decide no request at all (no staff role, another community, not bound) is
 * refused before anything about the request is said — not even whether it exists. A steward is
 * let on: whether their area covers the request is known only once its household is.
 */
async function refusedOutright(tx: Tx, input: DecisionInput, action: string, request: FoundRequest, now: Date): Promise<DecisionDenied | null> {
  const decision = explain(input.actor, 'binding.approve', { communityId: input.communityId, areaIds: [] }, { now });
  if (decision.allowed || decision.reason === 'outside_your_area') return null;
  await auditRefusal(tx, { ...refusalAudit(input, request, now), action: 'binding.approve', auditAction: action }, decision.reason);
  return { status: 'denied', reason: decision.reason };
}

/** What a refused decision's audit row says besides the action: who, which request. */
function refusalAudit(input: DecisionInput, request: FoundRequest, now: Date) {
  return {
    communityId: input.communityId,
    actor: input.actor,
    target: { type: 'binding_request', id: request?.id ?? null },
    details: { number: input.number },
    now,
  };
}

async function findRequest(tx: Tx, input: DecisionInput) {
  return tx.bindingRequest.findUnique({
    where: { communityId_number: { communityId: input.communityId, number: input.number } },
    select: { id: true, number: true, status: true, chatAccountId: true, name: true, phone: true },
  });
}

/** Adds the person to the household, after its other members. */
async function addToHousehold(tx: Tx, communityId: string, householdId: string, request: { name: string; phone: string }) {
  const last = await tx.resident.aggregate({ where: { householdId }, _max: { position: true } });
  return tx.resident.create({
    data: {
      communityId,
      householdId,
      name: cleanName(request.name),
      phone: request.phone,
      position: (last._max.position ?? -1) + 1,
    },
    select: { id: true },
  });
}

function clip(text: string, max: number): string {
  return [...text.trim()].slice(0, max).join('');
}
