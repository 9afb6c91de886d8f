/**
 * How long a member has to answer an offer: an emergency (gas, sparking, collapse) is offered to
 * every eligible member at once for a short time; anything else to one member at a time for
 * longer (defaults 2 and 10 minutes, set by DISPATCH_EMERGENCY_OFFER_MINUTES and
 * DISPATCH_OFFER_MINUTES). Pure.
 */

export interface OfferTiming {
  offerMinutes: number;
  emergencyOfferMinutes: number;
}

export const DEFAULT_OFFER_TIMING: OfferTiming = { offerMinutes: 10, emergencyOfferMinutes: 2 };

/** The instant an offer made at `offeredAt` runs out. */
export function offerExpiresAt(timing: OfferTiming, emergency: boolean, offeredAt: Date): Date {
  const minutes = emergency ? timing.emergencyOfferMinutes : timing.offerMinutes;
  return new Date(offeredAt.getTime() + minutes * 60_000);
}

/** An offer still open at `now` has run out when its instant has come (the instant itself counts). */
export function offerHasExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}
