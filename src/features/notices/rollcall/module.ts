/**
 * The roll-call of emergency alerts (应急预案), and every household's answer to a notice that asks
 * for one. Registers the answer buttons' press (`noticeAnswerButton`: 收到 / 平安, 需要帮助, a plain
 * notice's 收到) and the lists' "已电话联系" (`reachedButton`) in the one button registry; hears
 * `notice.sent` of an alert after its commit and adds its two stages' delayed jobs
 * (`notice-roll-calls`: the group heads at T1, the area stewards at T2), runs their worker and, at
 * start, adds the jobs of recent alerts again; its handler takes the staff chat's `/rollcall`.
 */
import type { FeatureContext, FeatureModule } from '../../../modules/index.js';
import type { LinliWorker } from '../../../queue/backend.js';
import { QueueNames } from '../../../queue/names.js';
import { ticketServiceOf } from '../../tickets/module.js';
import { noticeAnswerButton } from '../answers/answer-button.js';
import type { NoticeAnswerDeps } from '../answers/answer-deps.js';
import { pressNoticeAnswer, refuseNoticeAnswer } from '../answers/answer-press.js';
import '../notice-events.js';
import { reachedButton } from './reached-button.js';
import { pressReached } from './reach-household.js';
import { RollCallJobs, startRollCallWorker, type RollCallJob } from './roll-call-jobs.js';
import { staffRollCallHandler } from './staff-rollcall-command.js';

/** The answers' and the roll-call's hands, as every part of one app uses them. */
export function noticeAnswerDepsOf(context: FeatureContext): NoticeAnswerDeps {
  const now = context.clock ?? (() => new Date());
  return {
    prisma: context.prisma,
    communityId: context.communityId,
    translator: context.translator,
    events: context.events,
    tickets: { ...ticketServiceOf(context), now },
    outbox: context.outbox,
    buttons: context.buttons,
    textLimitOf: (channel) => context.channels.textLimitOf(channel),
    capabilitiesOf: (channel) => context.channels.declaredCapabilitiesOf(channel),
    logger: context.logger,
    now,
  };
}

export const rollCall: FeatureModule = {
  name: 'roll-call',
  install(context) {
    const { queues, events, config, logger, communityId } = context;
    const deps = noticeAnswerDepsOf(context);
    context.buttons.register(noticeAnswerButton, { handle: (fields, press) => pressNoticeAnswer(deps, fields, press), refuse: (press) => refuseNoticeAnswer(deps, press) });
    context.buttons.register(reachedButton, { handle: (fields, press) => pressReached(deps, fields, press), refuse: (press) => refuseNoticeAnswer(deps, press) });
    const jobs = new RollCallJobs(deps, queues.queue(QueueNames.noticeRollCalls));
    // After the commit: the queue is never touched inside a transaction.
    events.onCommitted('notice.sent', async (sent) => {
      if (sent.kind !== 'alert' || sent.communityId !== communityId) return;
      await jobs.schedule(sent.noticeId, sent.sentAt).catch((error: unknown) => {
        // The sweep at start adds them again.
        logger.warn({ noticeId: sent.noticeId, err: error instanceof Error ? error.name : 'unknown' }, 'roll-call jobs not scheduled');
      });
    });
    let worker: LinliWorker<RollCallJob> | undefined;
    if (config.RUN_WORKERS) worker = startRollCallWorker(queues, deps);
    return {
      handler: (next) => staffRollCallHandler(deps, next),
      async start() {
        if (!config.RUN_WORKERS) return;
        await jobs.sweep().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'roll-call sweep failed'));
      },
      async stop() {
        await worker?.close();
      },
    };
  },
};
