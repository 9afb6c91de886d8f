/**
 * The meetings module (会议): the community's meetings from being called to being reminded of —
 * types with default audiences, regular series by RFC 5545 rules (schedule/), invitations in
 * chat with the agenda and answer buttons (invite/), reminders at offsets per meeting and per
 * person as delayed jobs (reminders/), and calendars: an .ics per meeting and a private feed per
 * person (calendar/). What happens at the meeting itself (check-in, votes, minutes) is the floor's
 * (src/features/meetings/floor/). Staff call meetings with `linli meetings` (src/cli/commands/) or
 * `/meeting`, `/move_meeting`, `/cancel_meeting` in the staff chat (staff/).
 */
import { EffectArg } from '../../conversation/effect-signature.js';
import type { FeatureContext, FeatureModule } from '../../modules/index.js';
import { parseJobPayload } from '../../queue/jobs.js';
import { QueueNames } from '../../queue/names.js';
import { calendarRoutes } from './calendar/calendar-routes.js';
import { meetingsEffects } from './meetings-effects.js';
import { staffMeetingHandler } from './staff/staff-meeting-handler.js';
import { MeetingReminders } from './reminders/meeting-reminders.js';
import { callDueSittings, ensureAssemblySeries, ensureForumSeries } from './schedule/series-sittings.js';
import { meetingsDepsOf, type MeetingsDeps } from './schedule/meetings-deps.js';

/** How often regular sittings are called and lost reminder jobs mended. */
const SWEEP_EVERY_MS = 15 * 60_000;

/**
 * What calling, moving and cancelling a meeting take, with the reminders' jobs set after each
 * commit — for this module and for the staff console, which calls meetings through the same service.
 */
export function meetingsServiceFor(context: FeatureContext): { deps: MeetingsDeps; reminders: MeetingReminders } {
  const { prisma, queues, outbox, logger } = context;
  const now = context.clock ?? (() => new Date());
  let reminders: MeetingReminders | undefined;
  const deps = meetingsDepsOf(context, { meetingChanged: (tx, id, previous) => reminders?.meetingChanged(tx, id, previous) });
  reminders = new MeetingReminders({ prisma, queue: queues.queue(QueueNames.meetingReminders), notices: deps.notices, outbox, logger, now });
  return { deps, reminders };
}

export const meetings: FeatureModule = {
  name: 'meetings',
  effects: {
    /** The person's meetings still ahead: `{ status: ok | none, text, items: [{ value: number, label }] }`. */
    meetings_upcoming: { args: {}, readOnly: true },
    /** An `/rsvp` argument looked up: `{ status: ok | invalid | not_found | closed, number, title?, answer: attend|cannot|maybe|'' }`. */
    meetings_rsvp_look: { args: { argument: EffectArg.text }, readOnly: true },
    /** Records the answer (from the argument, else `picked`): `{ status: recorded | invalid | not_found | closed, number?, answer? }`. */
    meetings_rsvp: { args: { argument: EffectArg.text, picked: EffectArg.text, reason: EffectArg.text } },
    /** The person's own reminder offsets: `{ status: set | none | invalid, text }`. */
    meetings_offsets: { args: { offsets: EffectArg.text } },
    /** Their private feed address: `{ status: ok | none, url }`. */
    meetings_feed: { args: {}, readOnly: true },
    /** A new feed address; the old one stops working: `{ status: renewed | none }`. */
    meetings_feed_renew: { args: {} },
  },
  install(context) {
    const { prisma, queues, outbox, logger, config, communityId, translator } = context;
    const now = context.clock ?? (() => new Date());
    const { deps, reminders: active } = meetingsServiceFor(context);
    if (config.RUN_WORKERS) {
      queues.worker(QueueNames.meetingReminders, async (job) => active.handle(parseJobPayload(QueueNames.meetingReminders, job.data)), { concurrency: 2 });
    }
    let timer: NodeJS.Timeout | undefined;
    const sweep = async () => {
      try {
        await callDueSittings(deps, communityId, outbox);
        await active.sweep(communityId);
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'meetings sweep failed');
      }
    };
    return {
      effects: meetingsEffects({ watcher: active, translator, icsKey: context.keyFor('meeting-ics'), publicUrl: (config.PUBLIC_URL ?? '').replace(/\/+$/, ''), now }),
      // Before the staff inbox (APP_FEATURES order): its commands are the meetings'.
      handler: (next) => staffMeetingHandler({ meetings: deps, communityId, translator, textLimitOf: (channel) => context.channels.textLimitOf(channel), outbox }, next),
      routes: calendarRoutes({ prisma, translator, communityId, icsKey: context.keyFor('meeting-ics'), now }),
      async start() {
        if (!config.RUN_WORKERS) return;
        await ensureAssemblySeries(deps, communityId, translator.t(config.DEFAULT_LOCALE, 'meetings.core.assembly_title'));
        await ensureForumSeries(deps, communityId, translator.t(config.DEFAULT_LOCALE, 'meetings.core.type.forum'));
        await sweep();
        timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
      },
    };
  },
};
