/**
 * The notices module (通知公告), sending side: the service staff, group heads and the console send
 * through (`send/notice-service.ts`), the delayed jobs of held and scheduled notices, and the
 * sender's progress. Other parts of the feature (answers and roll-call, the archive) hear of a
 * send through `notice.sent`.
 */
import type { FeatureContext, FeatureModule } from '../../modules/index.js';
import { QueueNames } from '../../queue/names.js';
import { noticeJobScheduler, startNoticeSendWorker, sweepWaitingNotices } from './send/notice-jobs.js';
import { NoticeService } from './send/notice-service.js';

/** The sending service of an installed app (the console builds on the same). */
export function noticeServiceFor(context: FeatureContext): NoticeService {
  const { prisma, communityId, translator, buttons, events, outbox, logger, channels, queues } = context;
  const now = () => context.clock?.() ?? new Date();
  return new NoticeService({
    prisma,
    communityId,
    translator,
    buttons,
    events,
    outbox,
    logger,
    capabilitiesOf: (channel) => channels.declaredCapabilitiesOf(channel),
    textLimitOf: (channel) => channels.textLimitOf(channel),
    schedule: noticeJobScheduler(queues.queue(QueueNames.noticeSends), now),
    now,
  });
}

export const notices: FeatureModule = {
  name: 'notices',
  install(context) {
    const service = noticeServiceFor(context);
    const schedule = noticeJobScheduler(context.queues.queue(QueueNames.noticeSends), () => context.clock?.() ?? new Date());
    if (context.config.RUN_WORKERS) startNoticeSendWorker(context.queues, service);
    return {
      async start() {
        if (!context.config.RUN_WORKERS) return;
        const count = await sweepWaitingNotices(service, schedule);
        if (count > 0) context.logger.info({ count }, 'waiting notices scheduled again');
      },
    };
  },
};
