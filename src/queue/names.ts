/**
 * Every queue Linli uses. A queue's name is stored with its jobs (Redis keys, rows in BullMQ's
 * schema): rename one only with a migration that drains the old queue.
 *
 * To add a queue: add its name here and its payload schema in `jobs.ts` (the compiler asks for it).
 */
export const QueueNames = {
  /** Sends one outbox row to its chat platform (the web chat: unpaced). */
  deliveries: 'deliveries',
  /**
   * Sends outbox rows to Telegram. One queue per paced platform account, because BullMQ's
   * limiter (the account's overall budget) and a 429 pause hold a whole queue.
   */
  telegramDeliveries: 'deliveries-telegram',
  /** Sends outbox rows through the WeChat login, one at a time. */
  wechatDeliveries: 'deliveries-wechat',
  /** Reminds, then closes, a conversation that went idle. */
  conversationTimeouts: 'conversation-timeouts',
  /** A ticket's deadline came: remind the steward, tell the committee, put it before the forum. */
  ticketDeadlines: 'ticket-deadlines',
  /** The daily and weekly staff digests (job schedulers per community). */
  ticketDigests: 'ticket-digests',
  /** A housekeeping visit is near: remind the household the day before and an hour before. */
  housekeepingReminders: 'housekeeping-reminders',
  /** The property fund's monthly disclosure notice (a job scheduler per fund). */
  fundDisclosures: 'fund-disclosures',
  /** A repair done and not answered by the resident within the community's days: confirmed by the clock. */
  repairConfirmations: 'repair-confirmations',
  /** A repair job's offer to a service-team member ran out: the next member is asked. */
  dispatchOffers: 'dispatch-offers',
  /** An alert's roll-call: its group heads (T1), then its area stewards (T2), get who has not answered. */
  noticeRollCalls: 'notice-roll-calls',
  /** A meeting is near: everyone due a reminder at one offset before it, in one job. */
  meetingReminders: 'meeting-reminders',
  /** A notice held by quiet hours, or scheduled for later: sent at its time. */
  noticeSends: 'notice-sends',
  /** A sent notice's status message in its sender's chat: looked at (and edited) every few seconds until the report. */
  noticeProgress: 'notice-progress',
} as const;

/** The name of one of Linli's queues. */
export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

/** All queue names, e.g. for a dashboard or a drain at shutdown. */
export const allQueueNames: readonly QueueName[] = Object.values(QueueNames);
