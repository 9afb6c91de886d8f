/**
 * How the parts of the notices feature hear of each other without calling each other: sending
 * publishes `notice.sent` in the transaction that writes a notice's messages (the roll-call
 * listens for alerts and schedules its escalations; the archive indexes it); recording a
 * household's answer publishes `notice.answered` (live counts, a "help" answer's ticket). Ids
 * and codes only: listeners re-read what they need with the same `tx`.
 */

export interface NoticeSent {
  communityId: string;
  noticeId: string;
  /** Notice.kind: notice | disclosure | alert. */
  kind: string;
  /** When it went out (the time its messages were written): escalation times count from here. */
  sentAt: Date;
}

export interface NoticeAnswered {
  communityId: string;
  noticeId: string;
  householdId: string;
  /** NoticeAnswer.answer: ok | help | reached | confirmed. */
  answer: string;
  /** Who answered (the member, or whoever reached them by phone). */
  residentId?: string;
}

declare module '../../events/app-events.js' {
  interface AppEvents {
    /** A notice's (or an alert's) messages were written: it is on its way. */
    'notice.sent': NoticeSent;
    /** A household answered a notice that asked for an answer (its first answer; or a call for help after "safe"). */
    'notice.answered': NoticeAnswered;
  }
}
