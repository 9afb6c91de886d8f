/** What the staff console's routes are built with: the app's shared services, given once by the module. */
import type { DocumentLink } from '../../channels/media/document-links.js';
import type { PrismaClient } from '../../db/prisma-types.js';
import type { EventPublisher } from '../../events/index.js';
import type { FloorDeps } from '../../features/meetings/floor/service/floor-deps.js';
import type { MeetingsDeps } from '../../features/meetings/schedule/meetings-deps.js';
import type { NoticeService } from '../../features/notices/send/notice-service.js';
import type { DispatchDeps } from '../../features/repairs/dispatch/service/dispatch-deps.js';
import type { TicketServiceDeps } from '../../features/tickets/service/index.js';
import type { Translator } from '../../i18n/translator.js';
import type { Logger } from '../../log/logger.js';
import type { AccountNotifier } from '../../notify/account-notifier.js';
import type { OutboxDispatcher } from '../../outbox/outbox.js';
import type { LiveUpdates } from './live-updates.js';

export interface StaffWebDeps {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  logger: Logger;
  notifier: AccountNotifier;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
  /** The app's event bus: a decision taken here is heard as one taken in chat (the staff chats' line, the open pages). */
  events: EventPublisher;
  tickets: TicketServiceDeps;
  /** Repair jobs: the ticket page's dispatch history and staff's reassign, take over and cancel. */
  dispatch: DispatchDeps;
  /** Notices: the console composes, sends, reports and retries through the one service. */
  notices: NoticeService;
  /** Meetings: the console calls, moves and cancels them through the meetings' own service. */
  meetings: MeetingsDeps;
  /** A sitting's floor: the console closes it through the floor's own service. */
  floor: FloorDeps;
  live: LiveUpdates;
  /** Where photos and files are stored. */
  dataDir: string;
  /** A stored file's signed download address (a notice's attachment). */
  documentLink: DocumentLink;
  /** The community's language when nothing else says. */
  defaultLocale: string;
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** How often an open live stream checks its session (default: live-stream.ts's `SESSION_CHECK_MS`). */
  liveSessionCheckMs?: number;
  keys: {
    /** Signs the console's cookies. */
    cookie: string;
    /** Keys the hashes of sign-in codes and setup tokens. */
    code: string;
    /** Keys the hash of a browser's network address (limits count by it; the address is never stored). */
    origin: string;
  };
  now(): Date;
}
