/** What the meetings' services share, built once for the app and the command line alike. */
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { FeatureContext } from '../../../modules/index.js';
import { meetingIcsPath } from '../calendar/feed-tokens.js';
import { storeDocument } from '../../../channels/media/document-files.js';
import type { MeetingNoticeDeps } from '../invite/meeting-notices.js';
import type { MeetingWatcher } from '../reminders/meeting-reminders.js';

export interface MeetingsDeps {
  prisma: PrismaClient;
  notices: MeetingNoticeDeps;
  watcher: MeetingWatcher;
  now(): Date;
}

/** Builds what the meetings' services share, for the app and the command line alike. */
export function meetingsDepsOf(context: Pick<FeatureContext, 'prisma' | 'notifier' | 'translator' | 'config' | 'keyFor' | 'clock' | 'dataDir'>, watcher: MeetingWatcher): MeetingsDeps {
  const icsKey = context.keyFor('meeting-ics');
  const publicUrl = (context.config.PUBLIC_URL ?? '').replace(/\/+$/, '');
  return {
    prisma: context.prisma,
    notices: {
      notifier: context.notifier,
      translator: context.translator,
      icsLink: (meetingId) => `${publicUrl}${meetingIcsPath(icsKey, meetingId)}`,
      storeIcs: (bytes) => storeDocument(context.dataDir, bytes, 'text/calendar'),
    },
    watcher,
    now: context.clock ?? (() => new Date()),
  };
}
