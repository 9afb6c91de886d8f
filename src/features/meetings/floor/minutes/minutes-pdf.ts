/**
 * The minutes as an A4 PDF, from the same loaded minutes as the workbook: the community and the
 * meeting (type, number, title, time in the community's zone, place), whether the record is final,
 * the agenda, attendance with the quorum and everyone invited, each motion with its ballot, tally
 * and result (names on open ballots only), the evaluations, and page numbers. Every word in the
 * reader's language.
 *
 * The Chinese needs a CJK font: the system's Noto Sans CJK (Debian's fonts-noto-cjk, which the
 * image installs) is embedded as a subset of the glyphs used, so the file stays small. Without
 * it the answer is `no_font`, never a document of empty boxes. pdfkit is loaded on the first
 * export, not at start.
 */
import { existsSync } from 'node:fs';
import type { Vars } from '../../../../i18n/translator.js';
import { TYPE_LABELS, type MeetingType } from '../../rules/meeting-types.js';
import type { Minutes, MinutesMotion } from './load-minutes.js';

type Translate = (key: string, vars?: Vars) => string;

/** One installed CJK font: its collection files and the Simplified Chinese faces in them. */
export interface CjkFont {
  regular: string;
  bold: string;
  regularFace: string;
  boldFace: string;
}

const notoAt = (dir: string): CjkFont => ({
  regular: `${dir}/NotoSansCJK-Regular.ttc`,
  bold: `${dir}/NotoSansCJK-Bold.ttc`,
  regularFace: 'NotoSansCJKsc-Regular',
  boldFace: 'NotoSansCJKsc-Bold',
});

/** Where the distributions put Noto Sans CJK: Debian and Ubuntu first (the image), then others. */
export const CJK_FONT_PLACES: readonly CjkFont[] = [
  notoAt('/usr/share/fonts/opentype/noto'),
  notoAt('/usr/share/fonts/noto-cjk'),
  notoAt('/usr/share/fonts/google-noto-cjk'),
  notoAt('/usr/share/fonts/noto'),
  notoAt('/usr/local/share/fonts'),
];

/** The first installed font of `places`; a missing bold weight falls back to the regular one. */
export function findCjkFont(places: readonly CjkFont[] = CJK_FONT_PLACES): CjkFont | null {
  const found = places.find((place) => existsSync(place.regular));
  if (!found) return null;
  return existsSync(found.bold) ? found : { ...found, bold: found.regular, boldFace: found.regularFace };
}

export type MinutesPdf = { status: 'ok'; fileName: string; buffer: Buffer } | { status: 'no_font' };

export interface MinutesPdfOptions {
  timezone: string;
  communityName: string;
  /** When the file is made (in the footer: a draft's readers see how fresh it is). */
  now: Date;
  /** Where to look for the font (the installed places unless a test says otherwise). */
  fontPlaces?: readonly CjkFont[];
}

const RESULT_KEYS = { passed: 'meetings.vote.result_passed', failed: 'meetings.vote.result_failed' } as const;
const BY_KEYS = { button: 'meetings.minutes.by_button', code: 'meetings.minutes.by_code', staff: 'meetings.minutes.by_staff' } as const;

const MARGIN = 56;
const INK = '#1a1a1a';
const MUTED = '#5f6368';
const RULE = '#c8ccd0';
const DRAFT = '#b3261e';

export async function minutesPdf(minutes: Minutes, t: Translate, options: MinutesPdfOptions): Promise<MinutesPdf> {
  const font = findCjkFont(options.fontPlaces);
  if (!font) return { status: 'no_font' };
  const { default: PDFDocument } = await import('pdfkit');
  const { meeting, attendance } = minutes;
  const at = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: options.timezone, dateStyle: 'short', timeStyle: 'short' }).format(d);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: t('meetings.pdf.lang'),
    displayTitle: true,
    info: { Title: `${meeting.number} ${meeting.title}`, Subject: t('meetings.pdf.heading'), Author: options.communityName, Creator: options.communityName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('body', font.regular, font.regularFace);
  doc.registerFont('bold', font.bold, font.boldFace);
  try {
    // Opened here, so that a file of that name that is no such collection counts as no font.
    doc.font('bold').font('body');
  } catch {
    return { status: 'no_font' };
  }

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  /** A new page unless `height` more points fit on this one. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const heading = (text: string) => {
    room(60);
    doc.moveDown(0.8).font('bold').fontSize(13).fillColor(INK).text(text, left, doc.y, { width });
    const y = doc.y + 2;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.6).strokeColor(RULE).stroke();
    doc.y = y + 6;
  };
  const para = (text: string, style: { bold?: boolean; color?: string; indent?: number; size?: number } = {}) => {
    doc
      .font(style.bold ? 'bold' : 'body')
      .fontSize(style.size ?? 10.5)
      .fillColor(style.color ?? INK)
      .text(text, left + (style.indent ?? 0), doc.y, { width: width - (style.indent ?? 0), lineGap: 2 });
  };

  // The header: whose minutes, of which sitting, and whether they are final.
  doc.font('body').fontSize(10).fillColor(MUTED).text(options.communityName, left, MARGIN, { width });
  doc.moveDown(0.3).font('bold').fontSize(18).fillColor(INK).text(t('meetings.pdf.heading'), { width });
  doc.moveDown(0.2).font('bold').fontSize(14).text(meeting.title, { width });
  doc.moveDown(0.5);
  const typeKey = TYPE_LABELS[meeting.type as MeetingType] ?? 'meetings.core.type.other';
  const facts: [string, string][] = [
    [t('meetings.minutes.number'), meeting.number],
    [t('meetings.pdf.type'), t(typeKey)],
    [t('meetings.minutes.time'), `${at(meeting.startsAt)} – ${at(meeting.endsAt)}`],
    [t('meetings.minutes.place'), meeting.place ?? t('meetings.core.place_unset')],
    [t('meetings.minutes.closed_at'), meeting.closedAt ? at(meeting.closedAt) : t('meetings.minutes.not_closed')],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('body').fontSize(10.5).fillColor(MUTED).text(label, left, y, { width: 90 });
    const labelEnd = doc.y;
    doc.fillColor(INK).text(value, left + 96, y, { width: width - 96 });
    doc.y = Math.max(doc.y, labelEnd) + 2;
  }
  if (meeting.status === 'cancelled') {
    doc.moveDown(0.4);
    para([t('meetings.console.cancelled_note'), meeting.cancelReason ? t('meetings.console.cancel_reason', { reason: meeting.cancelReason }) : ''].filter(Boolean).join(' '), { bold: true, color: DRAFT });
  } else if (!meeting.closedAt) {
    doc.moveDown(0.4);
    para(t('meetings.pdf.draft_note'), { bold: true, color: DRAFT });
  }

  heading(t('meetings.console.agenda'));
  if (minutes.agenda.length === 0) para(t('meetings.core.agenda.empty'), { color: MUTED });
  minutes.agenda.forEach((text, i) => para(t('meetings.pdf.numbered', { n: i + 1, text })));

  heading(t('meetings.console.attendance'));
  const quorumVars = { representatives: attendance.representativesPresent, roll: attendance.rollSize, needed: attendance.needed };
  para(t(attendance.quorum ? 'meetings.pdf.quorum_yes' : 'meetings.pdf.quorum_no', quorumVars), { bold: true });
  para(t('meetings.console.present', { present: attendance.present, invited: attendance.invited }));
  doc.moveDown(0.4);
  table(
    doc,
    [
      { header: t('meetings.minutes.name'), width: 0.32 },
      { header: t('meetings.minutes.representative'), width: 0.2 },
      { header: t('meetings.minutes.checked_in_at'), width: 0.3 },
      { header: t('meetings.minutes.checked_in_by'), width: 0.18 },
    ],
    attendance.people.map((p) => [
      p.name,
      t(p.representative ? 'meetings.minutes.yes' : 'meetings.minutes.no'),
      p.checkedInAt ? at(p.checkedInAt) : t('meetings.console.not_yet'),
      p.checkedInBy ? t(BY_KEYS[p.checkedInBy as keyof typeof BY_KEYS] ?? 'meetings.minutes.by_staff') : '',
    ]),
    { left, width, bottom },
  );

  heading(t('meetings.console.votes'));
  if (minutes.motions.length === 0) para(t('meetings.console.no_motions'), { color: MUTED });
  for (const motion of minutes.motions) {
    room(70);
    doc.moveDown(0.3);
    para(t('meetings.pdf.numbered', { n: motion.position, text: motion.title }), { bold: true });
    for (const line of motionLines(motion, t)) para(line.text, { indent: 14, ...(line.bold ? { bold: true } : {}), ...(line.muted ? { color: MUTED } : {}) });
  }

  if (minutes.polls.length > 0) {
    heading(t('meetings.console.polls'));
    for (const p of minutes.polls) {
      const state =
        p.status === 'closed' ? t(p.rectify ? 'meetings.console.poll_rectify' : 'meetings.console.poll_ok', { satisfied: p.satisfied ?? 0, answered: p.answered ?? 0 }) : t('meetings.console.poll_open');
      para(t('meetings.pdf.poll_line', { subject: p.subject ?? t('meetings.minutes.committee'), state }));
    }
  }

  // Every page: which record, page n of m, and when it was exported.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN + 18;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(8.5).fillColor(MUTED);
    doc.text(t('meetings.pdf.footer', { number: meeting.number, at: at(options.now) }), left, y, { width, align: 'left', lineBreak: false });
    doc.text(t('meetings.pdf.page', { page: i - range.start + 1, pages: range.count }), left, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = MARGIN;
  }
  doc.end();
  await ended;
  return { status: 'ok', fileName: `minutes-${meeting.number}.pdf`, buffer: Buffer.concat(chunks) };
}

/** What the minutes say under a motion: its ballot, then its outcome or how far it got. */
function motionLines(m: MinutesMotion, t: Translate): { text: string; bold?: boolean; muted?: boolean }[] {
  const lines: { text: string; bold?: boolean; muted?: boolean }[] = [{ text: t('meetings.pdf.ballot', { ballot: t(m.ballot === 'secret' ? 'meetings.minutes.secret' : 'meetings.minutes.open') }) }];
  if (m.status !== 'closed') {
    lines.push({ text: t(m.status === 'open' ? 'meetings.console.voting' : 'meetings.console.draft', { cast: m.cast }), muted: true });
    return lines;
  }
  lines.push({ text: t('meetings.console.tally', { present: m.presentAtClose ?? 0, yes: m.yes ?? 0, no: m.no ?? 0, abstain: m.abstain ?? 0 }) });
  lines.push({ text: t('meetings.pdf.result', { result: t(RESULT_KEYS[m.result as keyof typeof RESULT_KEYS] ?? 'meetings.vote.result_failed') }), bold: true });
  if (!m.names) {
    lines.push({ text: t('meetings.vote.disclosure_secret'), muted: true });
    return lines;
  }
  const separator = t('meetings.vote.name_separator');
  if (m.names.yes.length > 0) lines.push({ text: t('meetings.vote.names_yes', { names: m.names.yes.join(separator) }) });
  if (m.names.no.length > 0) lines.push({ text: t('meetings.vote.names_no', { names: m.names.no.join(separator) }) });
  if (m.names.abstain.length > 0) lines.push({ text: t('meetings.vote.names_abstain', { names: m.names.abstain.join(separator) }) });
  return lines;
}

/** A ruled table whose header row is repeated on every page it runs onto. */
function table(
  doc: PDFKit.PDFDocument,
  columns: { header: string; width: number }[],
  rows: string[][],
  frame: { left: number; width: number; bottom: () => number },
): void {
  const pad = 4;
  const widths = columns.map((c) => c.width * frame.width);
  const rowHeight = (cells: string[], font: string) =>
    Math.max(...cells.map((cell, i) => doc.font(font).fontSize(10).heightOfString(cell || ' ', { width: widths[i]! - 2 * pad }))) + 2 * pad;
  const draw = (cells: string[], font: string, shade: boolean) => {
    const height = rowHeight(cells, font);
    const y = doc.y;
    if (shade) doc.rect(frame.left, y, frame.width, height).fill('#eef1f4');
    let x = frame.left;
    cells.forEach((cell, i) => {
      doc.font(font).fontSize(10).fillColor(INK).text(cell, x + pad, y + pad, { width: widths[i]! - 2 * pad });
      x += widths[i]!;
    });
    doc.moveTo(frame.left, y + height).lineTo(frame.left + frame.width, y + height).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.x = frame.left;
    doc.y = y + height;
  };
  const header = columns.map((c) => c.header);
  const headerHeight = rowHeight(header, 'bold');
  if (doc.y + headerHeight + (rows[0] ? rowHeight(rows[0], 'body') : 0) > frame.bottom()) doc.addPage();
  draw(header, 'bold', true);
  for (const row of rows) {
    if (doc.y + rowHeight(row, 'body') > frame.bottom()) {
      doc.addPage();
      draw(header, 'bold', true);
    }
    draw(row, 'body', false);
  }
}
