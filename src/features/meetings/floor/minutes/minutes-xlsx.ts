/**
 * The minutes as an Excel workbook: the meeting and its agenda, attendance (who, when, how), the
 * motions with their tallies and results (names only for open ballots), and the evaluations.
 * Headers in the reader's language; counts stay numbers. exceljs is loaded on the first export.
 */
import type { Vars } from '../../../../i18n/translator.js';
import type { Minutes } from './load-minutes.js';

type Translate = (key: string, vars?: Vars) => string;

const RESULT_KEYS = { passed: 'meetings.vote.result_passed', failed: 'meetings.vote.result_failed' } as const;
const BY_KEYS = { button: 'meetings.minutes.by_button', code: 'meetings.minutes.by_code', staff: 'meetings.minutes.by_staff' } as const;

export async function minutesWorkbook(minutes: Minutes, t: Translate, timezone: string): Promise<{ fileName: string; buffer: Buffer }> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const at = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' }).format(d);
  const { meeting, attendance } = minutes;

  const summary = workbook.addWorksheet(t('meetings.minutes.sheet_meeting'));
  summary.columns = [{ width: 18 }, { width: 60 }];
  summary.addRows([
    [t('meetings.minutes.number'), meeting.number],
    [t('meetings.minutes.title'), meeting.title],
    [t('meetings.minutes.time'), `${at(meeting.startsAt)} – ${at(meeting.endsAt)}`],
    [t('meetings.minutes.place'), meeting.place ?? ''],
    [t('meetings.minutes.roll'), attendance.rollSize],
    [t('meetings.minutes.present'), attendance.present],
    [t('meetings.minutes.representatives_present'), attendance.representativesPresent],
    [t('meetings.minutes.quorum'), t(attendance.quorum ? 'meetings.minutes.yes' : 'meetings.minutes.no')],
    // Final once closed; until then the workbook is a draft of the minutes.
    [t('meetings.minutes.closed_at'), meeting.closedAt ? at(meeting.closedAt) : t('meetings.minutes.not_closed')],
    ...minutes.agenda.map((text, i) => [t('meetings.minutes.agenda_item', { n: i + 1 }), text]),
  ]);

  const people = workbook.addWorksheet(t('meetings.minutes.sheet_attendance'));
  people.columns = [
    { header: t('meetings.minutes.name'), width: 16 },
    { header: t('meetings.minutes.representative'), width: 10 },
    { header: t('meetings.minutes.checked_in_at'), width: 20 },
    { header: t('meetings.minutes.checked_in_by'), width: 12 },
  ];
  for (const p of attendance.people) {
    people.addRow([p.name, t(p.representative ? 'meetings.minutes.yes' : 'meetings.minutes.no'), p.checkedInAt ? at(p.checkedInAt) : '', p.checkedInBy ? t(BY_KEYS[p.checkedInBy as keyof typeof BY_KEYS] ?? 'meetings.minutes.by_staff') : '']);
  }

  const votes = workbook.addWorksheet(t('meetings.minutes.sheet_votes'));
  votes.columns = [
    { header: '#', width: 5 },
    { header: t('meetings.minutes.motion'), width: 36 },
    { header: t('meetings.minutes.ballot'), width: 10 },
    { header: t('meetings.minutes.present_at_close'), width: 10 },
    { header: t('meetings.vote.choice.yes'), width: 8 },
    { header: t('meetings.vote.choice.no'), width: 8 },
    { header: t('meetings.vote.choice.abstain'), width: 8 },
    { header: t('meetings.minutes.result'), width: 10 },
    { header: t('meetings.minutes.names'), width: 50 },
  ];
  for (const m of minutes.motions) {
    const names = m.names
      ? [t('meetings.vote.names_yes', { names: m.names.yes.join('、') }), t('meetings.vote.names_no', { names: m.names.no.join('、') }), t('meetings.vote.names_abstain', { names: m.names.abstain.join('、') })].join('\n')
      : t('meetings.vote.disclosure_secret');
    votes.addRow([
      m.position,
      m.title,
      t(m.ballot === 'secret' ? 'meetings.minutes.secret' : 'meetings.minutes.open'),
      m.presentAtClose,
      m.yes,
      m.no,
      m.abstain,
      m.result ? t(RESULT_KEYS[m.result as keyof typeof RESULT_KEYS] ?? 'meetings.vote.result_failed') : '',
      m.status === 'closed' ? names : '',
    ]);
  }

  const polls = workbook.addWorksheet(t('meetings.minutes.sheet_polls'));
  polls.columns = [
    { header: t('meetings.minutes.evaluated'), width: 20 },
    { header: t('meetings.minutes.satisfied'), width: 10 },
    { header: t('meetings.minutes.answered'), width: 10 },
    { header: t('meetings.minutes.rectify'), width: 10 },
  ];
  for (const p of minutes.polls) polls.addRow([p.subject ?? t('meetings.minutes.committee'), p.satisfied, p.answered, t(p.rectify ? 'meetings.minutes.yes' : 'meetings.minutes.no')]);
  for (const sheet of [people, votes, polls]) sheet.getRow(1).font = { bold: true };

  return { fileName: `minutes-${meeting.number}.xlsx`, buffer: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
