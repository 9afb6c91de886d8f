/**
 * The tickets module: the complaint, my-tickets and rating effects (service/ticket-effects.ts),
 * the clock (deadline jobs after each change, satisfaction on ratings, digests: scheduling/), and
 * Open311 under `/open311/v2/`. Every change publishes `ticket.changed`; the clock listens first,
 * as it is listed first.
 */
import { EffectArg } from '../../conversation/effect-signature.js';
import { open311Filing } from '../../http/open311/open311-filing.js';
import { open311Routes } from '../../http/open311/open311-routes.js';
import type { FeatureContext, FeatureModule } from '../../modules/index.js';
import { createTicketScheduling } from './scheduling/ticket-scheduling.js';
import { ticketEffects } from './service/ticket-effects.js';
import type { TicketServiceDeps } from './service/ticket-service-deps.js';

/** The ticket service as every part of one app uses it (effects, staff inbox, Open311): one set of hands. */
export function ticketServiceOf(context: Pick<FeatureContext, 'translator' | 'notifier' | 'events'>): TicketServiceDeps {
  return { translator: context.translator, notifier: context.notifier, events: context.events };
}

/** What filing and the summary take: the complaint flow's answers. */
const FILING_ARGS = {
  for: EffectArg.text,
  household: EffectArg.text,
  kind: EffectArg.text,
  category: EffectArg.text,
  description: EffectArg.text,
  where: EffectArg.text,
  place: EffectArg.text,
  photos: EffectArg.saved,
  anonymous: EffectArg.text,
  publish: EffectArg.text,
};

export const tickets: FeatureModule = {
  name: 'tickets',
  // Every result has a `status`.
  effects: {
    /** Starting a complaint: `{ status, hasHome: yes|no, onBehalf: yes|no, categories: [{ value, label }] }`. */
    tickets_filing_start: { args: {}, readOnly: true },
    /** A household code the person may file for: `{ status: ok | unknown, address? }`. */
    tickets_check_household: { args: { code: EffectArg.text }, readOnly: true },
    /** Adds a photo to the collected ones: `{ list, count, full: yes|no, max }` (both null: an empty list). */
    tickets_collect_photo: { args: { photos: EffectArg.saved, photo: EffectArg.saved }, readOnly: true },
    /** The complaint's summary in words: `{ text }`. */
    tickets_draft_summary: { args: FILING_ARGS, readOnly: true },
    /** Files it: `{ status: filed | denied | invalid, number?, expect? }`. */
    tickets_file: { args: FILING_ARGS },
    /** The person's tickets, newest first: `{ status: ok | none, count, total, items: [{ value, label }] }`. */
    tickets_my_list: { args: {}, readOnly: true },
    /** One ticket (by picked id or typed number): `{ status: open | resolved | closed | withdrawn | merged | not_found, id, number, text, mine, rateable, mergedInto }`. */
    tickets_view: { args: { ticket: EffectArg.text, number: EffectArg.text }, readOnly: true },
    /** Adds a message or photo: `{ status: added | reopened | window_passed | closed | withdrawn | merged | not_open | not_yours | not_found | conflict, number }`. */
    tickets_add: { args: { ticket: EffectArg.text, text: EffectArg.text, photo: EffectArg.saved } },
    /** Withdraws it: `{ status: withdrawn | not_open | … , number }`. */
    tickets_withdraw: { args: { ticket: EffectArg.text } },
    /** What to rate: `{ status: ok (ticket, number, resolution) | pick (items) | none | not_found | already_rated | not_rateable }`. */
    tickets_rating_target: { args: { ticket: EffectArg.text, number: EffectArg.text }, readOnly: true },
    /** Records the rating of that resolution: `{ status: rated | stale | already_rated | invalid | not_found | conflict, number }`. */
    tickets_rate: { args: { ticket: EffectArg.text, resolution: EffectArg.text, stars: EffectArg.number, solved: EffectArg.text, comment: EffectArg.text } },
  },
  install(context) {
    const { prisma, queues, notifier, translator, outbox, logger, config, events, communityId } = context;
    const service = ticketServiceOf(context);
    const scheduling = createTicketScheduling({
      prisma,
      queues,
      notifier,
      translator,
      outbox,
      logger,
      digestHour: config.DIGEST_HOUR,
      textLimitOf: (channel) => context.channels.textLimitOf(channel),
    });
    scheduling.listen(events);
    if (config.RUN_WORKERS) scheduling.startWorkers();
    return {
      effects: ticketEffects(service),
      routes(http) {
        void http.register(open311Routes, {
          prefix: '/open311/v2',
          prisma,
          communityId,
          translator,
          apiKeys: config.OPEN311_API_KEYS,
          postsPerMinute: config.OPEN311_POSTS_PER_MINUTE,
          file: open311Filing({ prisma, tickets: service, outbox }),
        });
      },
      async start() {
        if (config.RUN_WORKERS) await scheduling.start(communityId);
      },
      stop: () => scheduling.stop(),
    };
  },
};
