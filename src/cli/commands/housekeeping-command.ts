/**
 * `linli housekeeping …`: how an admin sets up the housekeeping service (家政服务社) from the
 * server's shell, acting as the operator (the policy's `booking.configure`, audited):
 *
 * - `services` — the services, their cut-off and whether they are offered;
 * - `service <code> [--name-zh …] [--name-en …] [--cutoff-hours n] [--off | --on]` — adds or changes one;
 * - `places <code> --from <date> [--to <date>] --times 09:00-11:00,14:00-16:00 --places n` —
 *   the places of every date and time given (never below what is booked already);
 * - `bookings [--from <date>] [--to <date>]` — the visits booked, by time (`booking.view_all`).
 *
 * Dates and times are the community's own (its time zone).
 */
import type { Command } from 'commander';
import { listBookings } from '../../features/housekeeping/admin/list-bookings.js';
import { setPlaces, setService } from '../../features/housekeeping/admin/configure-services.js';
import { localDatesBetween, parseLocalDate, parseSlotWindow, type SlotWindow } from '../../features/housekeeping/rules/slot-times.js';
import { HousekeepingWords } from '../../features/housekeeping/service/housekeeping-words.js';
import { localDateKey } from '../../features/tickets/rules/local-time.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { terminalText } from '../terminal-text.js';
import { OPERATOR } from './operator.js';

/** Days `bookings` shows when `--to` is not given. */
const BOOKINGS_DAYS = 7;

interface ServiceOptions {
  nameZh?: string;
  nameEn?: string;
  cutoffHours?: string;
  off?: boolean;
  on?: boolean;
}

interface PlacesOptions {
  from: string;
  to?: string;
  times: string;
  places: string;
}

export function registerHousekeepingCommands(program: Command, runtime: CliRuntime): void {
  const housekeeping = program.command('housekeeping').description(runtime.t('cli.help.housekeeping'));

  housekeeping
    .command('services')
    .description(runtime.t('cli.help.housekeeping_services'))
    .action(async () => {
      const { prisma, communityId, timezone } = await runtime.community();
      const services = await prisma.housekeepingService.findMany({ where: { communityId }, orderBy: [{ position: 'asc' }, { code: 'asc' }] });
      if (services.length === 0) {
        runtime.print(runtime.t('cli.housekeeping.no_services'));
        return;
      }
      const words = new HousekeepingWords(runtime.translator, runtime.locale, timezone);
      for (const service of services) {
        const line = runtime.t(service.active ? 'cli.housekeeping.service_line' : 'cli.housekeeping.service_line_off', {
          code: service.code,
          name: words.service(service),
          hours: formatHours(service.cutoffMinutes),
        });
        runtime.print(terminalText(line));
      }
    });

  housekeeping
    .command('service')
    .description(runtime.t('cli.help.housekeeping_service'))
    .argument('<code>', runtime.t('cli.help.argument_service_code'))
    .option('--name-zh <name>', runtime.t('cli.help.option_service_name_zh'))
    .option('--name-en <name>', runtime.t('cli.help.option_service_name_en'))
    .option('--cutoff-hours <n>', runtime.t('cli.help.option_cutoff_hours'))
    .option('--off', runtime.t('cli.help.option_service_off'))
    .option('--on', runtime.t('cli.help.option_service_on'))
    .action(async (code: string, options: ServiceOptions) => {
      const names = { ...(options.nameZh?.trim() ? { 'zh-CN': options.nameZh.trim() } : {}), ...(options.nameEn?.trim() ? { en: options.nameEn.trim() } : {}) };
      const cutoffMinutes = options.cutoffHours === undefined ? undefined : parseHours(options.cutoffHours);
      if (options.off && options.on) throw new CliError('cli.housekeeping.on_and_off', {}, EXIT_USAGE);
      const { prisma, communityId } = await runtime.community();
      const result = await prisma.$transaction((tx) =>
        setService(tx, {
          communityId,
          actor: OPERATOR,
          code: code.trim(),
          ...(Object.keys(names).length > 0 ? { names } : {}),
          ...(cutoffMinutes !== undefined ? { cutoffMinutes } : {}),
          ...(options.off ? { active: false } : options.on ? { active: true } : {}),
          now: runtime.now(),
        }),
      );
      if (result.status === 'invalid') throw new CliError(result.problem === 'code' ? 'cli.housekeeping.bad_code' : 'cli.housekeeping.bad_hours', { value: code }, EXIT_USAGE);
      if (result.status !== 'created' && result.status !== 'updated') throw new CliError('cli.housekeeping.denied');
      runtime.print(runtime.t(result.status === 'created' ? 'cli.housekeeping.service_created' : 'cli.housekeeping.service_updated', { code: code.trim() }));
    });

  housekeeping
    .command('places')
    .description(runtime.t('cli.help.housekeeping_places'))
    .argument('<code>', runtime.t('cli.help.argument_service_code'))
    .requiredOption('--from <date>', runtime.t('cli.help.option_from_date'))
    .option('--to <date>', runtime.t('cli.help.option_to_date'))
    .requiredOption('--times <times>', runtime.t('cli.help.option_times'))
    .requiredOption('--places <n>', runtime.t('cli.help.option_places'))
    .action(async (code: string, options: PlacesOptions) => {
      const dates = parseDates(options.from, options.to ?? options.from);
      const windows = parseWindows(options.times);
      const places = Number(options.places);
      if (!/^\d+$/.test(options.places.trim())) throw new CliError('cli.housekeeping.bad_places', { value: options.places }, EXIT_USAGE);
      const { prisma, communityId, timezone } = await runtime.community();
      const result = await prisma.$transaction((tx) => setPlaces(tx, { communityId, actor: OPERATOR, code: code.trim(), dates, windows, places, timezone, now: runtime.now() }));
      switch (result.status) {
        case 'set':
          runtime.print(runtime.t('cli.housekeeping.places_set', { created: result.created, updated: result.updated }));
          if (result.keptAtBooked > 0) runtime.print(runtime.t('cli.housekeeping.kept_at_booked', { count: result.keptAtBooked }));
          return;
        case 'not_found':
          throw new CliError('cli.housekeeping.service_not_found', { code: code.trim() });
        case 'invalid':
          throw new CliError(result.problem === 'places' ? 'cli.housekeeping.bad_places' : 'cli.housekeeping.too_many', { value: options.places }, EXIT_USAGE);
        default:
          throw new CliError('cli.housekeeping.denied');
      }
    });

  housekeeping
    .command('bookings')
    .description(runtime.t('cli.help.housekeeping_bookings'))
    .option('--from <date>', runtime.t('cli.help.option_from_date'))
    .option('--to <date>', runtime.t('cli.help.option_to_date'))
    .action(async (options: { from?: string; to?: string }) => {
      const { prisma, communityId, timezone } = await runtime.community();
      const now = runtime.now();
      const from = options.from ?? localDateKey(now, timezone);
      const to = options.to ?? localDateKey(new Date(now.getTime() + (BOOKINGS_DAYS - 1) * 86_400_000), timezone);
      parseDates(from, to);
      const result = await prisma.$transaction((tx) => listBookings(tx, { communityId, actor: OPERATOR, from, to, now }));
      if (result.status !== 'ok') throw new CliError('cli.housekeeping.denied');
      if (result.items.length === 0) {
        runtime.print(runtime.t('cli.housekeeping.no_bookings', { from, to }));
        return;
      }
      const words = new HousekeepingWords(runtime.translator, runtime.locale, timezone);
      for (const item of result.items) {
        const line = runtime.t('cli.housekeeping.booking_line', {
          date: item.date,
          start: item.startTime,
          end: item.endTime,
          number: item.number,
          service: words.service({ code: item.serviceCode, names: item.serviceNames }),
          address: item.address ?? runtime.t('cli.housekeeping.no_address'),
        });
        // Addresses come from the roster file: nothing in them may steer the terminal.
        runtime.print(terminalText(line));
      }
      runtime.print(runtime.t('cli.housekeeping.bookings_count', { count: result.items.length }));
    });
}

function parseDates(from: string, to: string): string[] {
  for (const value of [from, to]) if (!parseLocalDate(value)) throw new CliError('cli.housekeeping.bad_date', { value }, EXIT_USAGE);
  const dates = localDatesBetween(from.trim(), to.trim());
  if (dates.length === 0) throw new CliError('cli.housekeeping.dates_backwards', { from, to }, EXIT_USAGE);
  return dates;
}

function parseWindows(text: string): SlotWindow[] {
  const windows: SlotWindow[] = [];
  for (const part of text.split(/[,，]/).filter((p) => p.trim() !== '')) {
    const window = parseSlotWindow(part);
    if (!window) throw new CliError('cli.housekeeping.bad_times', { value: part.trim() }, EXIT_USAGE);
    windows.push(window);
  }
  if (windows.length === 0) throw new CliError('cli.housekeeping.bad_times', { value: text }, EXIT_USAGE);
  return windows;
}

function parseHours(text: string): number {
  const hours = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(hours)) throw new CliError('cli.housekeeping.bad_hours', { value: text }, EXIT_USAGE);
  return Math.round(hours * 60);
}

function formatHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}
