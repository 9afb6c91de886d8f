/**
 * Turns a `MyDataSummary` into chat lines: locale keys (`privacy.mydata.*`) and their values, so
 * the answer reads in the person's language. A value may itself be a locale key (a role's name,
 * "not recorded") or a list of them; `renderMyData` resolves those with the translator.
 */
import { format } from 'date-fns/format';
import { tz } from '@date-fns/tz';
import type { Vars } from '../../i18n/translator.js';
import { ROLE_LABEL_KEYS, SKILL_LABEL_KEYS } from '../community/vocabulary-labels.js';
import { kindKey, statusKey } from '../tickets/rules/labels.js';
import type { MyDataSummary, TermState } from './my-data.js';

/** A label to translate, or a list of values joined with the locale's separator. */
export type LineValue = string | number | { key: string } | { list: (string | { key: string })[] };

/** One line of the answer: a locale key and its values. */
export interface MyDataLine {
  key: string;
  vars: Record<string, LineValue>;
}

const NOT_RECORDED = { key: 'privacy.mydata.not_recorded' };

const FLAG_KEYS: Record<string, string> = {
  elderly: 'privacy.mydata.flag.elderly',
  disabled: 'privacy.mydata.flag.disabled',
  ill: 'privacy.mydata.flag.ill',
  low_income: 'privacy.mydata.flag.low_income',
  veteran_family: 'privacy.mydata.flag.veteran_family',
};

const TERM_KEYS: Record<TermState, string> = {
  current: 'privacy.mydata.term.current',
  ended: 'privacy.mydata.term.ended',
  upcoming: 'privacy.mydata.term.upcoming',
};

/** A platform's name (web chat, Telegram, WeChat); also who am I's. */
export const CHANNEL_KEYS: Record<string, string> = {
  web: 'privacy.mydata.channel.web',
  telegram: 'privacy.mydata.channel.telegram',
  wechat: 'privacy.mydata.channel.wechat',
};

const REQUEST_STATUS_KEYS: Record<string, string> = {
  pending: 'privacy.mydata.request_status.pending',
  approved: 'privacy.mydata.request_status.approved',
  rejected: 'privacy.mydata.request_status.rejected',
};

/** A ticket's kind or status as its label (`tickets.kind.*`, `tickets.status.*`), or the word itself. */
function ticketWord<W extends string>(word: string, keyOf: (word: W) => string | undefined): string | { key: string } {
  const key = keyOf(word as W);
  return key ? { key } : word;
}

/** A word from the vocabulary as its label, or the word itself when this version has no label for it. */
function label(keys: Readonly<Record<string, string>>, word: string): string | { key: string } {
  const key = keys[word];
  return key ? { key } : word;
}

/** The summary as lines, dates as YYYY-MM-DD in `timeZone` (the community's). */
export function myDataLines(summary: MyDataSummary, options: { timeZone: string }): MyDataLine[] {
  const day = (date: Date) => format(date, 'yyyy-MM-dd', { in: tz(options.timeZone) });
  const { person, household, group, alsoHeads } = summary;
  const lines: MyDataLine[] = [
    { key: 'privacy.mydata.title', vars: {} },
    { key: 'privacy.mydata.name', vars: { name: person.name } },
    { key: 'privacy.mydata.phone', vars: { phone: person.phone ?? NOT_RECORDED } },
    { key: 'privacy.mydata.birth_year', vars: { year: person.birthYear ?? NOT_RECORDED } },
    { key: 'privacy.mydata.language', vars: { language: person.locale ?? NOT_RECORDED } },
  ];
  if (household) {
    lines.push({ key: 'privacy.mydata.household', vars: { code: household.code, address: household.address, area: household.areaPath } });
    if (household.flags.length > 0) {
      lines.push({ key: 'privacy.mydata.flags', vars: { flags: { list: household.flags.map((flag) => label(FLAG_KEYS, flag)) } } });
    }
  } else {
    lines.push({ key: 'privacy.mydata.no_household', vars: {} });
  }
  if (group) lines.push({ key: group.isHead ? 'privacy.mydata.group_head' : 'privacy.mydata.group', vars: { code: group.code } });
  if (alsoHeads) lines.push({ key: 'privacy.mydata.group_head', vars: { code: alsoHeads.code } });
  for (const role of summary.roles) {
    const vars: Record<string, LineValue> = {
      role: label(ROLE_LABEL_KEYS, role.role),
      from: day(role.startsOn),
      until: role.endsOn ? day(role.endsOn) : { key: 'privacy.mydata.term.open_ended' },
      state: { key: TERM_KEYS[role.term] },
    };
    if (role.areaPath) lines.push({ key: 'privacy.mydata.role_in_area', vars: { ...vars, area: role.areaPath } });
    else lines.push({ key: 'privacy.mydata.role', vars });
    if (role.skills.length > 0) {
      lines.push({ key: 'privacy.mydata.skills', vars: { skills: { list: role.skills.map((skill) => label(SKILL_LABEL_KEYS, skill)) } } });
    }
  }
  for (const account of summary.chatAccounts) {
    lines.push({
      key: 'privacy.mydata.account',
      vars: { channel: label(CHANNEL_KEYS, account.channel), date: account.boundAt ? day(account.boundAt) : NOT_RECORDED },
    });
  }
  for (const request of summary.bindingRequests) {
    lines.push({
      key: 'privacy.mydata.binding_request',
      vars: {
        number: request.number,
        date: day(request.createdAt),
        status: label(REQUEST_STATUS_KEYS, request.status),
        name: request.name,
        address: request.address,
        phone: request.phone,
      },
    });
  }
  for (const ticket of summary.tickets ?? []) {
    lines.push({ key: 'tickets.mydata.ticket', vars: { number: ticket.number, kind: ticketWord(ticket.kind, kindKey), status: ticketWord(ticket.status, statusKey), date: day(ticket.createdAt) } });
  }
  lines.push({ key: 'privacy.mydata.phone_reveals', vars: { count: summary.phoneReveals } });
  lines.push({ key: 'privacy.mydata.footer', vars: {} });
  return lines;
}

/** Renders lines with a translator (`(key, vars) => text` in the person's language), one per line. */
export function renderMyData(lines: readonly MyDataLine[], t: (key: string, vars?: Vars) => string): string {
  const one = (value: string | { key: string }) => (typeof value === 'string' ? value : t(value.key));
  const resolve = (value: LineValue): string | number => {
    if (typeof value === 'string' || typeof value === 'number') return value;
    if ('key' in value) return t(value.key);
    return value.list.map(one).join(t('privacy.mydata.list_separator'));
  };
  return lines
    .map((line) => t(line.key, Object.fromEntries(Object.entries(line.vars).map(([name, value]) => [name, resolve(value)]))))
    .join('\n');
}
