/**
 * The notice commands as typed in the staff chat or a private chat (both Telegram and WeChat).
 * Pure: reading the words only.
 *
 * - `/notice <to> <title>` and, on the lines below, the body; `/alert …` the same for an alert.
 *   A line `/en <title>` starts the notice's English version (its text below it); any language
 *   code. A line `/at 2026-05-05 18:00` (or `/at 18:00`, the next such time) sends it then.
 *   Sent as a photo's caption, the photo goes with the notice.
 *   `<to>`: `all` (全体) · `area <path or name>` (片区) · `group <code>` (联户组) · `priority`
 *   (重点户) · `role <role>` (角色). A group head may leave it out: their own group.
 * - `/send_notice <number>` confirms a draft, `/cancel_notice <number>` drops one still waiting,
 *   `/notice_report <number>` shows where its delivery stands, `/retry_notice <number>` sends the
 *   failures again.
 */
import { ROLES, type Role } from '../../community/vocabulary.js';

export type NoticeTarget =
  | { to: 'all' }
  | { to: 'area'; words: string }
  | { to: 'group'; code: string }
  | { to: 'priority' }
  | { to: 'role'; role: Role }
  | { to: 'own_group' };

/** The same notice in another language: a line `/en <title>` in the body, its text on the lines below. */
export type NoticeVersions = Record<string, { title: string; body: string }>;

/** When to send, on the community's wall clock: a line `/at 2026-05-05 18:00` (or `/at 18:00`: the next such time). */
export interface WallTime {
  date: { year: number; month: number; day: number } | null;
  hour: number;
  minute: number;
}

export type NoticeCommand =
  | { name: 'compose'; kind: 'notice' | 'alert'; target: NoticeTarget; title: string; body: string; versions: NoticeVersions; at: WallTime | null }
  | { name: 'send' | 'cancel' | 'report' | 'retry'; number: string }
  | { name: 'usage'; problem: 'empty' | 'target' | 'title' | 'body' | 'role' | 'number' | 'time' };

const COMMAND = /^[/／]([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?=\s|$)([\s\S]*)$/;
const BY_NUMBER: Record<string, 'send' | 'cancel' | 'report' | 'retry'> = { send_notice: 'send', cancel_notice: 'cancel', notice_report: 'report', retry_notice: 'retry' };
const TARGET_WORDS: Record<string, NoticeTarget['to']> = {
  all: 'all', 全体: 'all', 全部: 'all',
  area: 'area', 片区: 'area',
  group: 'group', 联户组: 'group',
  priority: 'priority', 重点户: 'priority',
  role: 'role', 角色: 'role',
};

/** The notice command at the start of `text`, or null when it is none (the message goes on). */
export function parseNoticeCommand(text: string | undefined): NoticeCommand | null {
  if (!text) return null;
  const match = COMMAND.exec(text.trim());
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  const rest = match[2]!;
  const byNumber = BY_NUMBER[name];
  if (byNumber) {
    const number = rest.trim().toUpperCase();
    return /^TZ-\d{4}-\d{1,9}$/.test(number) ? { name: byNumber, number } : { name: 'usage', problem: 'number' };
  }
  if (name !== 'notice' && name !== 'alert') return null;
  const kind = name;
  const [firstLine = '', ...lines] = rest.replace(/^[ \t]+/, '').split('\n');
  const atLine = lines.find((line) => AT_LINE.test(line.trim()));
  const at = atLine === undefined ? null : wallTime(atLine.trim());
  if (at === undefined) return { name: 'usage', problem: 'time' };
  const { body, versions } = splitVersions(lines.filter((line) => line !== atLine));
  const words = firstLine.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { name: 'usage', problem: 'empty' };
  const targetWord = TARGET_WORDS[words[0]!.toLowerCase()];
  let target: NoticeTarget;
  let titleWords: string[];
  if (!targetWord) {
    target = { to: 'own_group' };
    titleWords = words;
  } else if (targetWord === 'area' || targetWord === 'group' || targetWord === 'role') {
    const argument = words[1];
    if (!argument) return { name: 'usage', problem: 'target' };
    titleWords = words.slice(2);
    if (targetWord === 'area') target = { to: 'area', words: argument };
    else if (targetWord === 'group') target = { to: 'group', code: argument };
    else {
      const role = ROLES.find((known) => known === argument.toLowerCase());
      if (!role) return { name: 'usage', problem: 'role' };
      target = { to: 'role', role };
    }
  } else {
    target = { to: targetWord };
    titleWords = words.slice(1);
  }
  const title = titleWords.join(' ').trim();
  if (!title) return { name: 'usage', problem: 'title' };
  if (!body || Object.values(versions).some((v) => !v.title || !v.body)) return { name: 'usage', problem: 'body' };
  return { name: 'compose', kind, target, title, body, versions, at };
}

const AT_LINE = /^[/／]at(?=\s|$)/i;
const AT_VALUE = /^[/／]at\s+(?:(\d{4})-(\d{1,2})-(\d{1,2})\s+)?(\d{1,2})[:：](\d{2})$/i;

/** The time an `/at` line names; undefined when it names none that exists. */
function wallTime(line: string): WallTime | undefined {
  const match = AT_VALUE.exec(line);
  if (!match) return undefined;
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  if (hour > 23 || minute > 59) return undefined;
  if (match[1] === undefined) return { date: null, hour, minute };
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const probe = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (probe.getUTCMonth() !== date.month - 1 || probe.getUTCDate() !== date.day) return undefined;
  return { date, hour, minute };
}

/** A line naming a language and the title in it: `/en Water off`, `/zh-CN 停水通知`. */
const VERSION_LINE = /^[/／]([a-z]{2}(?:-[A-Z]{2})?)\s+(.+)$/;

/** The body in the notice's own language, and the versions in others that follow it. */
function splitVersions(lines: readonly string[]): { body: string; versions: NoticeVersions } {
  const versions: NoticeVersions = {};
  const own: string[] = [];
  let current: { title: string; lines: string[] } | null = null;
  for (const line of lines) {
    const match = VERSION_LINE.exec(line.trim());
    if (match) {
      current = { title: match[2]!.trim(), lines: [] };
      versions[match[1]!] = { title: current.title, body: '' };
      continue;
    }
    if (current) current.lines.push(line);
    else own.push(line);
    if (current) versions[Object.keys(versions).at(-1)!]!.body = current.lines.join('\n').trim();
  }
  return { body: own.join('\n').trim(), versions };
}
