/**
 * The housekeeping module (家政服务社): residents book a visit of one of the community's services
 * for a date and time with places left, and move or cancel it until the service's cut-off
 * (flows/housekeeping.yaml, housekeeping-effects.ts). A booking is a ticket of kind
 * `housekeeping` (JZ-…), so staff see it in the staff inbox like any ticket; its reminders the
 * day before and an hour before are delayed queue jobs (service/visit-reminders.ts). Admins set
 * services and places up with `linli housekeeping` (admin/).
 */
import { EffectArg } from '../../conversation/effect-signature.js';
import type { FeatureModule } from '../../modules/index.js';
import { parseJobPayload } from '../../queue/jobs.js';
import { QueueNames } from '../../queue/names.js';
import { ticketServiceOf } from '../tickets/module.js';
import { housekeepingEffects } from './housekeeping-effects.js';
import { VisitReminders } from './service/visit-reminders.js';

/** What booking takes: the slot picked, and the notes when the person chose to write some (`with_notes: write`). */
const BOOKING_ARGS = { slot: EffectArg.text, with_notes: EffectArg.text, notes: EffectArg.text };

export const housekeeping: FeatureModule = {
  name: 'housekeeping',
  // Every result has a `status`.
  effects: {
    /** `{ status: ok | no_home | no_services, booked: yes|no, services: [{ value, label }] }`. */
    housekeeping_start: { args: {}, readOnly: true },
    /** A service's dates with places left: `{ status: ok | none, service, dates: [{ value, label }] }`. */
    housekeeping_dates: { args: { service: EffectArg.text }, readOnly: true },
    /** Its times on one date with places left: `{ status: ok | none, day, times: [{ value, label }] }`. */
    housekeeping_times: { args: { service: EffectArg.text, date: EffectArg.text }, readOnly: true },
    /** The booking in words before it is made: `{ status, text }`. */
    housekeeping_summary: { args: BOOKING_ARGS, readOnly: true },
    /** Books it: `{ status: booked | full | closed | denied | invalid | not_found, number?, visit?, until? }`. */
    housekeeping_book: { args: BOOKING_ARGS },
    /** The person's visits still to come: `{ status: ok | none, items: [{ value, label }] }`. */
    housekeeping_my_bookings: { args: {}, readOnly: true },
    /** One of them: `{ status: open | not_found | not_open | too_late, service?, number?, text? }`. */
    housekeeping_view: { args: { booking: EffectArg.text }, readOnly: true },
    /** Moves it: `{ status: moved | full | closed | same | invalid | not_found | not_open | too_late | conflict, number?, visit? }`. */
    housekeeping_move: { args: { booking: EffectArg.text, slot: EffectArg.text } },
    /** Cancels it: `{ status: cancelled | not_found | not_open | too_late | conflict, number? }`. */
    housekeeping_cancel: { args: { booking: EffectArg.text } },
  },
  install(context) {
    const { prisma, queues, outbox, logger, config, communityId } = context;
    const now = context.clock ?? (() => new Date());
    const tickets = { ...ticketServiceOf(context), now };
    const reminders = new VisitReminders({ prisma, queue: queues.queue(QueueNames.housekeepingReminders), tickets, outbox, logger, now });
    if (config.RUN_WORKERS) {
      queues.worker(QueueNames.housekeepingReminders, async (job) => reminders.handle(parseJobPayload(QueueNames.housekeepingReminders, job.data)), { concurrency: 5 });
    }
    return {
      effects: housekeepingEffects({ tickets, now, watcher: reminders }),
      async start() {
        // Jobs lost with the queue come back; those that exist are left alone (same ids).
        if (config.RUN_WORKERS) await reminders.sweep(communityId);
      },
    };
  },
};
