/**
 * The person behind a chat account, as they may see it themselves ("who am I"), and unbinding
 * one account (the person's other accounts stay bound).
 */
import type { Tx } from '../../db/prisma-types.js';
import { recordAudit } from '../audit/record-audit.js';
import { ROLES, type Role } from '../community/vocabulary.js';
import { loadActor } from '../policy/load-actor.js';
import { assertCan } from '../policy/policy.js';

/** What "who am I" shows: nothing about anyone else. */
export type AccountSummary =
  | { status: 'visitor'; channel: string }
  | {
      status: 'bound';
      residentId: string;
      name: string;
      /** null for staff who do not live in the community. */
      address: string | null;
      /** Current roles (terms that have begun and not ended), in vocabulary order. */
      roles: Role[];
      /** This account's channel. */
      channel: string;
      /** Every channel the person has a bound account on, this one included, in a stable order. */
      channels: string[];
    };

/** Where a channel comes in a person's list: lower first (the channels' `chatOrder`); ties by name. */
export type ChatOrder = (channel: string) => number;

/** The person behind `chatAccountId`, for themself; `chatOrder`: how their channels are listed (absent: by name). */
export async function accountSummary(tx: Tx, chatAccountId: string, chatOrder: ChatOrder = () => 0): Promise<AccountSummary> {
  const account = await tx.chatAccount.findUniqueOrThrow({ where: { id: chatAccountId }, select: { channel: true } });
  const actor = await loadActor(tx, { chatAccountId });
  if (!actor || actor.kind !== 'person') return { status: 'visitor', channel: account.channel };
  const resident = await tx.resident.findUniqueOrThrow({
    where: { id: actor.residentId },
    select: { name: true, household: { select: { address: true } }, chatAccounts: { select: { channel: true } } },
  });
  const held = new Set(actor.roles.map((role) => role.role));
  return {
    status: 'bound',
    residentId: actor.residentId,
    name: resident.name,
    address: resident.household?.address ?? null,
    roles: ROLES.filter((role) => held.has(role)),
    channel: account.channel,
    channels: [...new Set(resident.chatAccounts.map((other) => other.channel))].sort((a, b) => chatOrder(a) - chatOrder(b) || a.localeCompare(b)),
  };
}

/** Unbinds this account only; `visitor` when it was not bound. */
export async function unbindAccount(tx: Tx, communityId: string, chatAccountId: string): Promise<{ status: 'unbound' | 'visitor' }> {
  const actor = await loadActor(tx, { chatAccountId });
  if (!actor || actor.kind !== 'person') return { status: 'visitor' };
  assertCan(actor, 'account.unbind', { communityId, residentId: actor.residentId });
  await tx.chatAccount.update({ where: { id: chatAccountId }, data: { residentId: null, boundAt: null }, select: { id: true } });
  await recordAudit(tx, {
    communityId,
    actor,
    action: 'account.unbind',
    subjectType: 'resident',
    subjectId: actor.residentId,
    details: { chatAccountId },
  });
  return { status: 'unbound' };
}
