/**
 * What `npm run bench:dispatch` checks after a run, from two sides: the rows Linli wrote (every
 * work order with its offers and audited accepts) and what reached the members' chats through
 * the fake (each offer's arrival, each press's hand-out, each "您已接下" a member got).
 *
 * - Offered to two members at once (an ordinary job, offered one member at a time): two of its
 *   offer rows open over the same instant, or an offer reaching a second member before the fake
 *   handed Linli the first member's answer.
 * - Held by two members: more than one accepted offer row or audited accept, more than one member
 *   told they hold it, or the member told so is not the one the work order names.
 */
import type { WorkOrderRow } from './dispatch-app-process.js';
import type { HoldSeen, OfferSeen } from './dispatch-members.js';

export interface DispatchChecks {
  /** Ordinary jobs offered to two members at once (numbers). */
  offeredToTwo: string[];
  /** Jobs held by two members, or by another member than the one told (numbers). */
  heldByTwo: string[];
}

/** Every ordinary job whose offers overlap, in the rows or in the members' chats. */
function offeredToTwo(rows: readonly WorkOrderRow[], offers: readonly OfferSeen[], pressedAt: (offer: OfferSeen) => number | undefined): string[] {
  const found = new Set<string>();
  for (const row of rows) {
    if (row.emergency) continue;
    const sorted = [...row.offers].sort((a, b) => a.offeredAt - b.offeredAt);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const ended = before.answeredAt ?? (before.status === 'open' ? Number.POSITIVE_INFINITY : before.expiresAt);
      if (sorted[i]!.offeredAt < ended) found.add(row.number);
    }
  }
  const seenOf = new Map<string, OfferSeen[]>();
  for (const offer of offers) {
    if (offer.emergency) continue;
    seenOf.set(offer.number, [...(seenOf.get(offer.number) ?? []), offer]);
  }
  for (const [number, seen] of seenOf) {
    const sorted = [...seen].sort((a, b) => a.at - b.at);
    for (let i = 1; i < sorted.length; i++) {
      const answered = pressedAt(sorted[i - 1]!);
      if (answered === undefined || sorted[i]!.at < answered) found.add(number);
    }
  }
  return [...found].sort();
}

function heldByTwo(rows: readonly WorkOrderRow[], holds: readonly HoldSeen[], residentOfUser: ReadonlyMap<number, string>): string[] {
  const found = new Set<string>();
  const toldOf = new Map<string, Set<number>>();
  for (const hold of holds) toldOf.set(hold.number, new Set([...(toldOf.get(hold.number) ?? []), hold.memberUserId]));
  for (const row of rows) {
    const accepted = row.offers.filter((o) => o.status === 'accepted');
    if (accepted.length > 1 || row.acceptsAudited > 1) found.add(row.number);
    if (accepted.length === 1 && accepted[0]!.memberId !== row.memberId) found.add(row.number);
    const told = [...(toldOf.get(row.number) ?? [])];
    if (told.length > 1) found.add(row.number);
    if (told.length === 1 && residentOfUser.get(told[0]!) !== row.memberId) found.add(row.number);
  }
  return [...found].sort();
}

export function checkDispatch(
  rows: readonly WorkOrderRow[],
  offers: readonly OfferSeen[],
  holds: readonly HoldSeen[],
  pressedAt: (offer: OfferSeen) => number | undefined,
  residentOfUser: ReadonlyMap<number, string>,
): DispatchChecks {
  return { offeredToTwo: offeredToTwo(rows, offers, pressedAt), heldByTwo: heldByTwo(rows, holds, residentOfUser) };
}
