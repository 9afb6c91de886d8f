/**
 * What dispatch needs from the rest of the app: words, the notifier (a member's own chat), the
 * event bus (`work_order.changed`), the poster to bound chats (staff and the service team), the
 * offer timeouts (delayed queue jobs) and the clock (tests move it). The module builds one and
 * hands it to the flows' effects, the timeout worker and the staff commands alike.
 */
import type { CapabilitiesOf } from '../../../../channels/known-channels.js';
import type { TextLimitOf } from '../../../../channels/text-limit.js';
import type { EventPublisher } from '../../../../events/index.js';
import type { Translator } from '../../../../i18n/translator.js';
import type { Logger } from '../../../../log/logger.js';
import type { AccountNotifier } from '../../../../notify/account-notifier.js';
import type { OfferTiming } from '../rules/offer-timing.js';
import '../../work-order-events.js';

/** The delayed jobs that end offers nobody answered (offer-timeouts.ts). */
export interface OfferTimeoutJobs {
  /** Sets one job per offer, due at its `expiresAt` (an offer's job exists once however often this is called). */
  schedule(offers: readonly { id: string; expiresAt: Date }[]): Promise<void>;
  /** Removes the jobs of offers answered or withdrawn. */
  cancel(offerIds: readonly string[]): Promise<void>;
}

export interface DispatchDeps {
  translator: Translator;
  notifier: AccountNotifier;
  events: EventPublisher;
  timing: OfferTiming;
  timeouts: OfferTimeoutJobs;
  textLimitOf: TextLimitOf;
  capabilitiesOf: CapabilitiesOf;
  logger: Logger;
  now?: () => Date;
}

export function clockOf(deps: Pick<DispatchDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date();
}
