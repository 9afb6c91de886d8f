/**
 * A full phone number on the staff console, to call someone back: the privacy feature's reveal
 * (`revealPhoneIn`, `revealRequestPhoneIn`: the policy, an audit row for every attempt, refused
 * ones too), in a transaction of its own so a refusal's row commits. The number is shown on the
 * page that answers the button and kept nowhere else.
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { Actor } from '../../features/policy/actor.js';
import { revealPhoneIn, revealRequestPhoneIn, type RevealPhoneResult } from '../../features/privacy/reveal-phone.js';

/** A resident's full number, if the viewer may see it (`resident.reveal_phone`). */
export function revealMemberPhone(prisma: PrismaClient, input: { communityId: string; actor: Actor; residentId: string; now: Date }): Promise<RevealPhoneResult> {
  return prisma.$transaction((tx) => revealPhoneIn(tx, input));
}

/** The number a binding request gave, if the viewer may decide the request. */
export function revealRequestPhone(prisma: PrismaClient, input: { communityId: string; actor: Actor; number: number; now: Date }): Promise<RevealPhoneResult> {
  return prisma.$transaction((tx) => revealRequestPhoneIn(tx, input));
}
