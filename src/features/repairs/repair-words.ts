/**
 * Repair facts in a person's language: job, danger and status names, times in the community's
 * zone, the emergency numbers, a fee. Everything comes from locale keys under `repairs.*` (and the
 * tickets' date formats, so a repair's times read like a ticket's).
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { Translator } from '../../i18n/translator.js';
import { TicketWords } from '../tickets/service/ticket-words.js';
import { LINES_FIRST } from './rules/dangers.js';
import type { OfferedWindow, HomeWindow } from './rules/home-windows.js';
import { EMERGENCY_LINES, type EmergencyLine, type RepairSettings } from './rules/repair-settings.js';
import { isRepairKind, type Danger, type RepairKind } from './rules/repair-kinds.js';
import { isWorkOrderStatus, type WorkOrderStatus } from './rules/work-order-state.js';

export class RepairWords extends TicketWords {
  /** The same language as words already made for a ticket notice. */
  static from(words: TicketWords, timezone: string): RepairWords {
    return new RepairWords(words.translator, words.locale, timezone);
  }

  constructor(
    translator: Translator,
    locale: string,
    private readonly zone: string,
  ) {
    super(translator, locale, zone);
  }

  job(job: string): string {
    return isRepairKind(job) ? this.t(JOB_KEYS[job]) : job;
  }

  workStatus(status: string): string {
    return isWorkOrderStatus(status) ? this.t(STATUS_KEYS[status]) : status;
  }

  /** `14:00` in the community's zone. */
  clock(instant: Date): string {
    return format(instant, 'HH:mm', { in: tz(this.zone) });
  }

  /** A window offered on its day: `今天 08:00–12:00`. */
  offeredWindow(window: OfferedWindow): string {
    const day = window.dayOffset === 0 ? 'repairs.window.today' : window.dayOffset === 1 ? 'repairs.window.tomorrow' : 'repairs.window.later';
    return this.t(day, { date: this.date(window.from), from: this.clock(window.from), to: this.clock(window.to) });
  }

  /** A window as a date and times: `12月8日 08:00–12:00`. */
  window(window: HomeWindow): string {
    return this.t('repairs.window.on', { date: this.date(window.from), from: this.clock(window.from), to: this.clock(window.to) });
  }

  /** The emergency numbers, those the danger needs first, one line each; lines the community left empty are not named. */
  emergencyLines(numbers: RepairSettings['emergencyNumbers'], danger: Danger | null): string {
    const first: readonly EmergencyLine[] = danger ? LINES_FIRST[danger] : [];
    const order = [...first, ...EMERGENCY_LINES.filter((line) => !first.includes(line))];
    return order
      .filter((line) => numbers[line] !== null)
      .map((line) => this.t('repairs.emergency.line', { name: this.t(LINE_KEYS[line]), phone: numbers[line]! }))
      .join('\n');
  }

  /** `免费` or `¥12.50`. */
  fee(cents: number): string {
    return cents === 0 ? this.t('repairs.fee.free') : this.t('repairs.fee.amount', { amount: (cents / 100).toFixed(2) });
  }
}

const JOB_KEYS: Readonly<Record<RepairKind, string>> = {
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

const STATUS_KEYS: Readonly<Record<WorkOrderStatus, string>> = {
  received: 'repairs.status.received',
  offered: 'repairs.status.offered',
  accepted: 'repairs.status.accepted',
  on_the_way: 'repairs.status.on_the_way',
  done: 'repairs.status.done',
  confirmed: 'repairs.status.confirmed',
  cancelled: 'repairs.status.cancelled',
  unassigned: 'repairs.status.unassigned',
};

const LINE_KEYS: Readonly<Record<EmergencyLine, string>> = {
  fire: 'repairs.emergency.name.fire',
  medical: 'repairs.emergency.name.medical',
  police: 'repairs.emergency.name.police',
  gas: 'repairs.emergency.name.gas',
  power: 'repairs.emergency.name.power',
};
