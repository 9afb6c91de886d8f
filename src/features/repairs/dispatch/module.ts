/**
 * Dispatch (issue 14): repair jobs offered to the service team, the member's day in chat, and the
 * staff's hand on both. Listens to `work_order.changed` (`filed`: the first offer, in the filing's
 * transaction; `not_fixed`: the member is told), runs the offer timeouts' worker (delayed jobs of
 * the `dispatch-offers` queue) and, at start, sets again the timeout of every open offer and
 * offers the jobs still waiting. Its flows' effects: answering an offer, the member's day, on the
 * way, done with a service record, away and back. Its handler, in front of the staff inbox's,
 * takes the staff chat's `/reassign`, `/take_over`, `/cancel_job` and `/dispatch`.
 */
import { EffectArg } from '../../../conversation/effect-signature.js';
import type { FeatureContext, FeatureModule } from '../../../modules/index.js';
import { QueueNames } from '../../../queue/names.js';
import type { LinliWorker } from '../../../queue/backend.js';
import { dispatchEffects } from './chat/dispatch-effects.js';
import { staffDispatchHandler } from './chat/staff-dispatch-handler.js';
import type { DispatchDeps } from './service/dispatch-deps.js';
import { offerTimeoutJobs, runOfferTimeout, startOfferTimeoutWorker, sweepOffers, type OfferTimeoutJob } from './service/offer-timeouts.js';
import { listenForWorkOrders } from './service/work-order-listener.js';

/** Dispatch as every part of one app uses it (the flows, the timeouts, the staff chat, the console): one set of hands. */
export function dispatchDepsOf(context: Pick<FeatureContext, 'translator' | 'notifier' | 'events' | 'config' | 'queues' | 'channels' | 'logger'>): DispatchDeps {
  const { config } = context;
  return {
    translator: context.translator,
    notifier: context.notifier,
    events: context.events,
    timing: { offerMinutes: config.DISPATCH_OFFER_MINUTES, emergencyOfferMinutes: config.DISPATCH_EMERGENCY_OFFER_MINUTES },
    timeouts: offerTimeoutJobs(context.queues.queue(QueueNames.dispatchOffers), () => new Date()),
    textLimitOf: (channel) => context.channels.textLimitOf(channel),
    capabilitiesOf: (channel) => context.channels.declaredCapabilitiesOf(channel),
    logger: context.logger,
  };
}

export const dispatch: FeatureModule = {
  name: 'dispatch',
  effects: {
    /** Accepts or declines the member's offer of a job (by typed number, or their newest): `{ status: accepted | declined | taken | withdrawn | expired | answered | not_offered | denied, number }`. */
    dispatch_answer: { args: { number: EffectArg.text, answer: EffectArg.text } },
    /** The member's jobs in hand, in order: `{ status: ok | none | not_member, text, items: [{ value, label }], away: yes | no }`. */
    dispatch_my_jobs: { args: {}, readOnly: true },
    /** One of their jobs: `{ status: accepted | on_the_way | not_found, text, number }`. */
    dispatch_job_view: { args: { job: EffectArg.text }, readOnly: true },
    /** On the way: `{ status: ok | not_now | not_found | denied, number }`. */
    dispatch_on_the_way: { args: { job: EffectArg.text } },
    /** Gives the job back (退单), to the next member: `{ status: ok | not_now | not_found | denied, number }`. */
    dispatch_give_back: { args: { job: EffectArg.text } },
    /** Done, with the service record: `{ status: ok | not_now | not_found | denied | invalid, number }`. */
    dispatch_report_done: {
      args: { job: EffectArg.text, work: EffectArg.text, materials: EffectArg.text, cost: EffectArg.number, fee: EffectArg.number, photo: EffectArg.saved },
    },
    /** Away (`yes`) or back (`no`): `{ status: away | back | not_member }`. */
    dispatch_set_away: { args: { away: EffectArg.text } },
  },
  install(context) {
    const { prisma, queues, events, config, communityId, logger, outbox } = context;
    const deps = dispatchDepsOf(context);
    listenForWorkOrders(events, deps, { prisma, outbox });
    let worker: LinliWorker<OfferTimeoutJob> | undefined;
    if (config.RUN_WORKERS) worker = startOfferTimeoutWorker(queues, (job) => runOfferTimeout(prisma, deps, outbox, job));
    return {
      effects: dispatchEffects(deps),
      // Listed before the staff inbox: its commands in the staff chat come here first.
      handler: (next) => staffDispatchHandler({ prisma, communityId, dispatch: deps, outbox }, next),
      async start() {
        if (!config.RUN_WORKERS) return;
        await sweepOffers(prisma, deps, outbox, communityId).catch((error: unknown) => {
          logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'dispatch sweep failed');
        });
      },
      async stop() {
        await worker?.close();
      },
    };
  },
};
