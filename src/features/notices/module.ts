/**
 * The notices module (通知公告), sending side: the service staff, group heads and the console send
 * through (`send/notice-service.ts`), the chat commands and buttons that call it
 * (`compose/notice-chat.ts`, in front of the staff inbox), the delayed jobs of held and scheduled
 * notices, and the sender's status message (`send/notice-progress.ts`). Other parts of the feature
 * (answers and roll-call, the archive) hear of a send through `notice.sent`.
 */
import type { FeatureContext, FeatureModule } from '../../modules/index.js';
import { QueueNames } from '../../queue/names.js';
import type { PostingRights } from '../../channels/types.js';
import { bindPostingCheck } from './compose/bind-posting-check.js';
import { noticeChat } from './compose/notice-chat.js';
import { noticeJobScheduler, progressTicker, startNoticeProgressWorker, startNoticeSendWorker, sweepWaitingNotices } from './send/notice-jobs.js';
import { PROGRESS_EVERY_MS, progressTick, readStatusMessage } from './send/notice-progress.js';
import { NoticeService } from './send/notice-service.js';

/**
 * The sending service of an installed app: what the staff console calls (preview, create,
 * confirm, cancel, report, retryFailures), with the app's own queues behind it.
 */
export function noticeServiceFor(context: FeatureContext): NoticeService {
  const { prisma, communityId, translator, buttons, events, outbox, logger, channels, queues } = context;
  const now = () => context.clock?.() ?? new Date();
  const ticker = progressTicker(queues.queue(QueueNames.noticeProgress), PROGRESS_EVERY_MS);
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
    documentLink: context.documentLink,
    dataDir: context.dataDir,
    schedule: noticeJobScheduler(queues.queue(QueueNames.noticeSends), now),
    followProgress: (noticeId) => ticker(noticeId, 0),
    now,
  });
}

/** A status message is followed again after a restart for notices sent this long ago at most. */
const FOLLOW_AFTER_RESTART_MS = 24 * 3_600_000;

export const notices: FeatureModule = {
  name: 'notices',
  install(context) {
    const { prisma, translator, buttons, outbox, logger, channels, queues, communityId, config } = context;
    const now = () => context.clock?.() ?? new Date();
    const service = noticeServiceFor(context);
    const schedule = noticeJobScheduler(queues.queue(QueueNames.noticeSends), now);
    const ticker = progressTicker(queues.queue(QueueNames.noticeProgress), PROGRESS_EVERY_MS);
    const capabilitiesOf = (channel: string) => channels.declaredCapabilitiesOf(channel);
    const chat = noticeChat({ prisma, communityId, translator, buttons, service, outbox, capabilitiesOf, textLimitOf: (channel) => channels.textLimitOf(channel), logger, now });
    if (config.RUN_WORKERS) {
      startNoticeSendWorker(queues, service);
      startNoticeProgressWorker(queues, (noticeId) => progressTick({ prisma, translator, buttons, capabilitiesOf, outbox, logger, now }, noticeId), ticker);
    }
    let posting: readonly PostingRights[] = [];
    return {
      handler: (next) => chat.handler(bindPostingCheck({ prisma, communityId, translator, outbox, posting: () => posting }, next)),
      async start(channels) {
        posting = channels.posting ?? [];
        if (!config.RUN_WORKERS) return;
        const count = await sweepWaitingNotices(service, schedule);
        // Sent notices whose status message is not final yet: their ticks again (a restart).
        const since = new Date(now().getTime() - FOLLOW_AFTER_RESTART_MS);
        const following = await prisma.notice.findMany({ where: { communityId, status: 'sent', sentAt: { gte: since } }, select: { id: true, statusMessage: true } });
        for (const notice of following) {
          const state = readStatusMessage(notice.statusMessage);
          if (state && !state.reported) await ticker(notice.id, 0);
        }
        if (count > 0) logger.info({ count }, 'waiting notices scheduled again');
      },
    };
  },
};
