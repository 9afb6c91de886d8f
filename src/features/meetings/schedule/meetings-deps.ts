/** What the meetings' services share. */
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { MeetingNoticeDeps } from '../invite/meeting-notices.js';
import type { MeetingWatcher } from '../reminders/meeting-reminders.js';

export interface MeetingsDeps {
  prisma: PrismaClient;
  notices: MeetingNoticeDeps;
  watcher: MeetingWatcher;
  now(): Date;
}
