/** The roll-call's counts as a staff chat message: in all, by area, by group (the console's page shows the same). */
import type { Vars } from '../../../i18n/translator.js';
import { localMinute } from '../../tickets/scheduling/local-format.js';
import type { RollCallStatus } from './roll-call-status.js';
import type { Counts } from './rules/roll-call-counts.js';

type T = (key: string, vars?: Vars) => string;

export function countsLine(t: T, counts: Counts): string {
  return t('notices.rollcall.counts.line', { households: counts.households, ok: counts.ok, help: counts.help, reached: counts.reached, notYet: counts.notYet });
}

export function rollCallText(t: T, rollCall: RollCallStatus, now: Date, timezone: string): string {
  const { notice, counts } = rollCall;
  const lines = [t('notices.rollcall.counts.header', { number: notice.number, title: notice.title, time: localMinute(now, timezone) }), countsLine(t, counts.total), '', t('notices.rollcall.counts.by_area')];
  const areas = [...counts.byArea].sort(([a], [b]) => (rollCall.areaPaths.get(a) ?? '').localeCompare(rollCall.areaPaths.get(b) ?? ''));
  for (const [areaId, c] of areas) lines.push(t('notices.rollcall.counts.entry', { name: rollCall.areaPaths.get(areaId) ?? '', line: countsLine(t, c) }));
  lines.push('', t('notices.rollcall.counts.by_group'));
  const groups = [...counts.byGroup].sort(([a], [b]) => (rollCall.groupCodes.get(a) ?? '\uffff').localeCompare(rollCall.groupCodes.get(b) ?? '\uffff'));
  for (const [groupId, c] of groups) lines.push(t('notices.rollcall.counts.entry', { name: rollCall.groupCodes.get(groupId) ?? t('notices.rollcall.list.no_group'), line: countsLine(t, c) }));
  return lines.join('\n');
}
