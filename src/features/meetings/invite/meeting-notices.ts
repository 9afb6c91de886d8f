/**
 * What invitees are told in chat, in each account's own language, in the caller's transaction:
 * the invitation with its agenda and answer buttons (attend / cannot / maybe: command buttons in
 * the one registry, numbered replies where a channel has no buttons), a change, a cancellation,
 * and a reminder. Each goes to every account bound to the person. The .ics link rides in the text
 * (a calendar app opens it; the person's feed keeps it current).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { AccountNotifier } from '../../../notify/account-notifier.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { PRIORITY_BULK } from '../../../outbox/outbox.js';
import { rsvpCommand, type RsvpAnswer } from '../rules/rsvp.js';
import { MeetingWords, type WordedMeeting } from '../schedule/meeting-words.js';

export type MeetingNoticeKind = 'invitation' | 'changed' | 'cancelled' | 'reminder';

const NOTICE_KEYS: Record<MeetingNoticeKind, string> = {
  invitation: 'meetings.invite.invitation',
  changed: 'meetings.invite.changed',
  cancelled: 'meetings.invite.cancelled',
  reminder: 'meetings.remind.reminder',
};

const ANSWER_BUTTONS: readonly { answer: RsvpAnswer; labelKey: string }[] = [
  { answer: 'attend', labelKey: 'meetings.invite.button.attend' },
  { answer: 'cannot', labelKey: 'meetings.invite.button.cannot' },
  { answer: 'maybe', labelKey: 'meetings.invite.button.maybe' },
];

export interface MeetingNoticeDeps {
  notifier: AccountNotifier;
  translator: Translator;
  /** The meeting's .ics address (absolute when the server's public address is known). */
  icsLink(meetingId: string): string;
}

export interface NoticedMeeting extends WordedMeeting {
  id: string;
  communityId: string;
  cancelReason: string | null;
}

/** Writes the notice to every bound, reachable account of `residentIds`; returns the rows. */
export async function writeMeetingNotices(
  tx: Tx,
  deps: MeetingNoticeDeps,
  meeting: NoticedMeeting,
  timeZone: string,
  kind: MeetingNoticeKind,
  recipients: readonly { residentId: string; rsvp: string }[],
): Promise<QueuedOutboxRow[]> {
  if (recipients.length === 0) return [];
  const answers = new Map(recipients.map(({ residentId, rsvp }) => [residentId, rsvp]));
  const accounts = await tx.chatAccount.findMany({
    where: { communityId: meeting.communityId, residentId: { in: [...answers.keys()] }, unreachableAt: null },
    select: { id: true, residentId: true, locale: true, community: { select: { defaultLocale: true } } },
    orderBy: { id: 'asc' },
  });
  const rows: QueuedOutboxRow[] = [];
  for (const account of accounts) {
    const answer = answers.get(account.residentId!) ?? 'pending';
    // A reminder to someone who has not answered (or said maybe) carries the buttons too.
    const asks = kind === 'invitation' || kind === 'changed' || (kind === 'reminder' && (answer === 'pending' || answer === 'maybe'));
    const words = new MeetingWords(deps.translator, account.locale ?? account.community.defaultLocale, timeZone);
    rows.push(
      ...(await deps.notifier.write(tx, {
        chatAccountId: account.id,
        key: NOTICE_KEYS[kind],
        vars: { ...words.vars(meeting), answer: words.answer(answer), ics: deps.icsLink(meeting.id), reason: meeting.cancelReason ?? '' },
        priority: PRIORITY_BULK,
        ...(asks ? { commands: ANSWER_BUTTONS.map(({ answer, labelKey }) => ({ labelKey, command: rsvpCommand(meeting.number, answer) })) } : {}),
      })),
    );
  }
  return rows;
}
