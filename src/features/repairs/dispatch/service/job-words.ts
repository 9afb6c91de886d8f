/**
 * A job in words for a member or staff: number, what is wrong, where, when someone is home, and
 * whether it is an emergency or for a priority household. No resident's name or phone: the
 * address is what the member needs to go there.
 */
import type { Translator } from '../../../../i18n/translator.js';
import { localMinute } from '../../../tickets/scheduling/local-format.js';
import { isRepairKind, type RepairKind } from '../../rules/repair-kinds.js';
import type { JobFacts } from './job-facts.js';

const KIND_KEYS: Readonly<Record<RepairKind, string>> = {
  water_leak: 'repairs.kind.water_leak',
  no_water: 'repairs.kind.no_water',
  power: 'repairs.kind.power',
  heating: 'repairs.kind.heating',
  drain: 'repairs.kind.drain',
  roof: 'repairs.kind.roof',
  doors_windows: 'repairs.kind.doors_windows',
  masonry: 'repairs.kind.masonry',
  other: 'repairs.kind.other',
};

/** What is wrong, in words; a kind this version does not know reads as "other". */
export function jobKindWords(translator: Translator, locale: string, job: string): string {
  return translator.t(locale, isRepairKind(job) ? KIND_KEYS[job] : KIND_KEYS.other);
}

/** One line: `BX-2026-00042 水管漏水 · 团结巷3号`, with the emergency and priority marks. */
export function jobLine(translator: Translator, locale: string, job: JobFacts): string {
  return translator.t(locale, 'dispatch.job.line', {
    number: job.number,
    kind: jobKindWords(translator, locale, job.job),
    place: job.address ?? translator.t(locale, 'dispatch.job.no_address'),
    marks: jobMarks(translator, locale, job),
  });
}

/** The line, then when someone is home, each on a line of its own. */
export function jobDetails(translator: Translator, locale: string, job: JobFacts): string {
  const lines = [jobLine(translator, locale, job)];
  for (const window of job.homeWindows) {
    lines.push(translator.t(locale, 'dispatch.job.home_window', { from: localMinute(window.from, job.timezone), to: localMinute(window.to, job.timezone) }));
  }
  return lines.join('\n');
}

function jobMarks(translator: Translator, locale: string, job: Pick<JobFacts, 'emergency' | 'priority'>): string {
  const marks: string[] = [];
  if (job.emergency) marks.push(translator.t(locale, 'dispatch.job.emergency_mark'));
  if (job.priority) marks.push(translator.t(locale, 'dispatch.job.priority_mark'));
  return marks.join('');
}
