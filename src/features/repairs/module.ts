/**
 * The repairs module, the resident's side of a repair (报修): the request flow's effects (filing a
 * ticket of kind `repair` with its work order: filing/), telling the resident each change of the
 * job and taking their answer — confirmed, rated, or "not fixed", and confirmed by the clock when
 * they do not answer within the community's days (resident/). The service team's
 * side (offers, a member's day, staff reassigning) is the dispatch module's; the two hear of each
 * other only through `work_order.changed` (work-order-events.ts).
 */
import { EffectArg } from '../../conversation/effect-signature.js';
import type { FeatureModule } from '../../modules/index.js';
import { ticketServiceOf } from '../tickets/module.js';
import { repairFilingEffects } from './filing/repair-filing-effects.js';
import { residentRepairEffects } from './resident/resident-effects.js';
import { listenForWorkOrderChanges } from './resident/status-notices.js';
import { listenForEndedTickets } from './resident/ticket-ended.js';
import { listenForReopenedRepairs } from './resident/send-back.js';
import { listenForTakenJobs } from './resident/first-response.js';
import { listenForDoneWork } from './resident/ticket-resolution.js';
import { RepairAnswerTimer } from './resident/answer-timer.js';
import { parseJobPayload } from '../../queue/jobs.js';
import { QueueNames } from '../../queue/names.js';

/** What the summary and the filing take: the repair flow's answers. */
const DRAFT_ARGS = {
  for: EffectArg.text,
  household: EffectArg.text,
  danger: EffectArg.text,
  kind: EffectArg.text,
  description: EffectArg.text,
  where: EffectArg.text,
  place: EffectArg.saved,
  photos: EffectArg.saved,
  when: EffectArg.text,
};

export const repairs: FeatureModule = {
  name: 'repairs',
  effects: {
    /** Starting a request: `{ status, hasHome: yes|no, windows: [{ value, label }] }` (home windows in the community's zone). */
    repairs_start: { args: {}, readOnly: true },
    /** The emergency numbers for a danger, those it needs first: `{ text }`. */
    repairs_emergency: { args: { danger: EffectArg.text }, readOnly: true },
    /** The request's summary in words: `{ text }`. */
    repairs_summary: { args: DRAFT_ARGS, readOnly: true },
    /** Files it: `{ status: filed | window_passed | denied | invalid, number?, expect?, emergency?, dispatch?: arranging | unassigned }`. */
    repairs_file: { args: DRAFT_ARGS },
    /** The person's repairs, newest first: `{ status: ok | none, count, total, items: [{ value, label }] }`. */
    repairs_my_list: { args: {}, readOnly: true },
    /** One repair (picked id or typed number): `{ status: open | done | finished | not_found, id, number, text, mine: yes|no }`. */
    repairs_view: { args: { ticket: EffectArg.text, number: EffectArg.text }, readOnly: true },
    /** The repair a fixed / not-fixed answer is about: `{ status: ok | not_done | none | not_found, number, workStatus?, worker? }`. */
    repairs_answer_target: { args: { number: EffectArg.text }, readOnly: true },
    /** "Fixed": `{ status: confirmed | confirmed_unrated | not_done | none | not_found | conflict, number, ticket?, resolution? }`. */
    repairs_confirm: { args: { number: EffectArg.text } },
    /** "Not fixed", with the words: `{ status: sent_back | not_done | none | not_found | conflict | closed, number, worker? }`. */
    repairs_not_fixed: { args: { number: EffectArg.text, text: EffectArg.text } },
  },
  install(context) {
    const { prisma, queues, outbox, logger, config, events, communityId } = context;
    const service = ticketServiceOf(context);
    // Every change of a job, from dispatch or staff, reaches the resident in their chat.
    listenForWorkOrderChanges(events, service);
    // A member taking the job is the ticket's first response; the work done resolves it.
    listenForTakenJobs(events, service);
    listenForDoneWork(events, service);
    // A repair's ticket withdrawn or merged ends its work order; reopened by the resident, its
    // done work goes back to the member.
    listenForEndedTickets(events, service);
    listenForReopenedRepairs(events);
    // The resident's days to answer once the work is done: set, and removed, after each commit.
    const answers = new RepairAnswerTimer({ prisma, queue: queues.queue(QueueNames.repairConfirmations), service, outbox, logger });
    events.onCommitted('work_order.changed', (change) =>
      answers.changed(change).catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.name : 'unknown', workOrderId: change.workOrderId }, 'repair answer timer not set')),
    );
    if (config.RUN_WORKERS) {
      queues.worker(QueueNames.repairConfirmations, async (job) => answers.handle(parseJobPayload(QueueNames.repairConfirmations, job.data)), { concurrency: 2 });
    }
    return {
      effects: new Map([...repairFilingEffects(service), ...residentRepairEffects(service)]),
      async start() {
        // A job lost with a crash is back; one that exists is left alone (the same id).
        if (config.RUN_WORKERS) await answers.sweep(communityId);
      },
    };
  },
};
