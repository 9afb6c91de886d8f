/**
 * What invitees are told in chat, in each account's own language, in the caller's transaction:
 * the invitation with its agenda and answer buttons (attend / cannot / maybe: command buttons in
 * the one registry, numbered replies where a channel has no buttons), a change, a cancellation,
 * and a reminder. Each goes to every account bound to the person. The invitation, a change and a
 * cancellation carry the meeting's .ics as a file where the account's channel carries files
 * (written once per notice, stored as files sent are: `storeIcs`), and its link in the text
 * elsewhere (a calendar app opens either; the person's feed keeps it current).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { AccountNotice, AccountNotifier } from '../../../notify/account-notifier.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { PRIORITY_BULK } from '../../../outbox/outbox.js';
import { rsvpCommand, type RsvpAnswer } from '../rules/rsvp.js';
import { MeetingWords, type WordedMeeting } from '../schedule/meeting-words.js';
import { meetingsCalendar } from '../calendar/meeting-ics.js';

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
  /** Stores an .ics file to send with the notice; returns its reference. Absent: the link only. */
  storeIcs?(bytes: Uint8Array): Promise<string>;
}

export interface NoticedMeeting extends WordedMeeting {
  id: string;
  communityId: string;
  cancelReason: string | null;
  /** For the .ics file (a reminder needs none). */
  status?: string;
  version?: number;
}

/** The notices that carry the meeting's calendar file. */
const WITH_ICS: ReadonlySet<MeetingNoticeKind> = new Set(['invitation', 'changed', 'cancelled']);

/** The meeting's .ics, stored once for every account this notice goes to; undefined where none is sent. */
async function icsFile(deps: MeetingNoticeDeps, meeting: NoticedMeeting, kind: MeetingNoticeKind, locale: string, timeZone: string): Promise<{ ref: string; name: string; bytes: number } | undefined> {
  if (!deps.storeIcs || !WITH_ICS.has(kind) || meeting.status === undefined || meeting.version === undefined) return undefined;
  const words = new MeetingWords(deps.translator, locale, timeZone);
  const body = meetingsCalendar(meeting.title, [
    { id: meeting.id, number: meeting.number, title: meeting.title, place: meeting.place, startsAt: meeting.startsAt, endsAt: meeting.endsAt, status: meeting.status, version: meeting.version, updatedAt: new Date(), description: words.agenda(meeting.agenda) },
  ]);
  const bytes = Buffer.from(body, 'utf8');
  return { ref: await deps.storeIcs(bytes), name: `${meeting.number}.ics`, bytes: bytes.length };
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
  const first = accounts[0];
  const icsDocument = first ? await icsFile(deps, meeting, kind, first.community.defaultLocale, timeZone) : undefined;
  const ics = deps.icsLink(meeting.id);
  // The meeting in each language once, not once a person: a reminder to everyone has thousands.
  const varsByLocale = new Map<string, { words: MeetingWords; vars: Record<string, string>; document?: AccountNotice['document'] }>();
  const inWords = (locale: string) => {
    let worded = varsByLocale.get(locale);
    if (!worded) {
      const words = new MeetingWords(deps.translator, locale, timeZone);
      worded = {
        words,
        vars: { ...words.vars(meeting), ics, reason: meeting.cancelReason ?? '' },
        // Where the file goes with it, the text points at the file instead of the link.
        ...(icsDocument
          ? { document: { ...icsDocument, carriedVars: { ics: deps.translator.t(words.locale, 'meetings.invite.ics_attached', { name: icsDocument.name }) } } }
          : {}),
      };
      varsByLocale.set(locale, worded);
    }
    return worded;
  };
  const buttons = ANSWER_BUTTONS.map(({ answer, labelKey }) => ({ labelKey, command: rsvpCommand(meeting.number, answer) }));
  const notices: AccountNotice[] = accounts.map((account) => {
    const answer = answers.get(account.residentId!) ?? 'pending';
    // A reminder to someone who has not answered (or said maybe) carries the buttons too.
    const asks = kind === 'invitation' || kind === 'changed' || (kind === 'reminder' && (answer === 'pending' || answer === 'maybe'));
    const { words, vars, document } = inWords(account.locale ?? account.community.defaultLocale);
    return {
      chatAccountId: account.id,
      key: NOTICE_KEYS[kind],
      vars: { ...vars, answer: words.answer(answer) },
      priority: PRIORITY_BULK,
      ...(document ? { document } : {}),
      ...(asks ? { commands: buttons } : {}),
    };
  });
  return deps.notifier.writeMany(tx, notices);
}
