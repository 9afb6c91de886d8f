/**
 * `linli tickets list [--state …] [--area <path>] [--overdue] [--limit N]`: the community's
 * tickets, newest first, one line each, and how many of how many are shown — so the office can
 * find a ticket from the server's shell. `linli tickets show <number>`: one ticket's header,
 * deadlines and whole history, internal notes marked, the reporter masked.
 *
 * Both read through the staff console's own services (`staff-web/inbox/`) with the operator as
 * the viewer: the policy makes the operator an admin, so the operator sees every ticket, and
 * opening one goes through the same audited check as the console's ticket page.
 */
import type { Command } from 'commander';
import {
  TICKET_STATE_FILTERS,
  listTickets,
  loadStaffTicket,
  type DeadlineState,
  type StaffTicket,
  type TicketListItem,
  type TicketStateFilter,
  type TimelineEntry,
} from '../../staff-web/inbox/index.js';
import { categoryText, durationText, kindText, statusText } from '../../staff-web/inbox/ticket-view-parts.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { formatMinute } from './labels.js';
import { OPERATOR } from './operator.js';
import { terminalText } from '../terminal-text.js';

/** Tickets listed when `--limit` is not given, and the most one listing prints. */
export const DEFAULT_TICKET_LIMIT = 50;
export const MAX_TICKET_LIMIT = 1000;

interface ListOptions {
  state?: string;
  area?: string;
  overdue?: boolean;
  limit?: string;
}

export function registerTicketCommands(program: Command, runtime: CliRuntime): void {
  const tickets = program.command('tickets').description(runtime.t('cli.help.tickets'));

  tickets
    .command('list')
    .description(runtime.t('cli.help.tickets_list'))
    .option('--state <state>', runtime.t('cli.help.option_state', { states: TICKET_STATE_FILTERS.join(', ') }))
    .option('--area <area path>', runtime.t('cli.help.option_tickets_area'))
    .option('--overdue', runtime.t('cli.help.option_overdue'))
    .option('--limit <n>', runtime.t('cli.help.option_limit', { limit: DEFAULT_TICKET_LIMIT, max: MAX_TICKET_LIMIT }))
    .action(async (options: ListOptions) => {
      const state = parseState(options.state);
      const limit = parseLimit(options.limit);
      const { prisma, communityId, timezone } = await runtime.community();
      const areaPath = options.area?.trim().replace(/\/+$/, '');
      let areaId: string | null = null;
      if (areaPath !== undefined) {
        const area = await prisma.area.findFirst({ where: { communityId, path: areaPath }, select: { id: true } });
        if (!area) throw new CliError('cli.staff.problem.area_not_found', { area: areaPath });
        areaId = area.id;
      }
      const list = await listTickets(prisma, {
        communityId,
        actor: OPERATOR,
        filter: { state, areaId, overdue: options.overdue === true },
        pageSize: limit,
        now: runtime.now(),
      });
      if (list.total === 0) {
        runtime.print(runtime.t('cli.tickets.none'));
        return;
      }
      for (const item of list.items) runtime.print(terminalText(ticketLine(runtime, item, list.categories, timezone)));
      runtime.print(runtime.t('cli.tickets.showing', { shown: list.items.length, total: list.total }));
    });

  tickets
    .command('show')
    .description(runtime.t('cli.help.tickets_show'))
    .argument('<ticket number>', runtime.t('cli.help.argument_ticket_number'))
    .action(async (typed: string) => {
      const { prisma, communityId, timezone } = await runtime.community();
      const now = runtime.now();
      const found = await prisma.$transaction((tx) => loadStaffTicket(tx, { communityId, actor: OPERATOR, number: typed.trim(), now }));
      if (found.status === 'not_found') throw new CliError('cli.tickets.not_found', { number: typed.trim() });
      // The operator acts as an admin of every community: a refusal here is a bug.
      if (found.status === 'forbidden') throw new Error('ticket view refused to the operator');
      printTicket(runtime, found.ticket, timezone);
    });
}

/** `--state`: one of the list's states; `open` when not given. */
function parseState(text: string | undefined): TicketStateFilter {
  if (text === undefined) return 'open';
  const state = text.trim();
  if (!(TICKET_STATE_FILTERS as readonly string[]).includes(state)) {
    throw new CliError('cli.tickets.bad_state', { value: text, states: TICKET_STATE_FILTERS.join(', ') }, EXIT_USAGE);
  }
  return state as TicketStateFilter;
}

/** `--limit`: a whole number from 1 to MAX_TICKET_LIMIT. */
function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TICKET_LIMIT;
  const limit = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TICKET_LIMIT) {
    throw new CliError('cli.tickets.bad_limit', { value: text, max: MAX_TICKET_LIMIT }, EXIT_USAGE);
  }
  return limit;
}

/** One ticket of the list: number, state, category, area, who holds it, what is due, whether it is late. */
function ticketLine(runtime: CliRuntime, item: TicketListItem, categories: StaffTicket['categories'], timezone: string): string {
  const t = runtime.t.bind(runtime);
  const parts = [
    item.number,
    statusText(t, item.status),
    categoryText(t, runtime.locale, categories, item.category),
    item.areaPath ?? t('cli.tickets.no_area'),
    item.assigneeName ?? t('cli.tickets.unassigned'),
    item.dueAt ? t('cli.tickets.due', { time: formatMinute(item.dueAt, timezone) }) : '',
    item.overdue ? t('cli.tickets.overdue') : '',
  ];
  return parts.filter(Boolean).join('  ');
}

function printTicket(runtime: CliRuntime, ticket: StaffTicket, timezone: string): void {
  const t = runtime.t.bind(runtime);
  // Descriptions, places and replies are as people typed them: nothing in them may steer the terminal.
  const print = (line: string) => runtime.print(terminalText(line));
  print(
    [
      ticket.number,
      statusText(t, ticket.status),
      kindText(t, ticket.kind),
      categoryText(t, runtime.locale, ticket.categories, ticket.category),
      ticket.major ? t('cli.tickets.major') : '',
    ]
      .filter(Boolean)
      .join('  '),
  );
  print(t('cli.tickets.filed_at', { time: formatMinute(ticket.createdAt, timezone) }));
  print(t('cli.tickets.area', { area: ticket.areaPath ?? t('cli.tickets.no_area') }));
  if (ticket.placeText) print(t('cli.tickets.place', { place: ticket.placeText }));
  print(t('cli.tickets.assignee', { name: ticket.assignee?.name ?? t('cli.tickets.unassigned') }));
  if (ticket.reporter) {
    print(t('cli.tickets.reporter', { name: ticket.reporter.maskedName, phone: ticket.reporter.maskedPhone ?? t('cli.staff.no_phone') }));
  } else {
    print(t('cli.tickets.no_reporter'));
  }
  if (ticket.household) print(t('cli.tickets.household', { code: ticket.household.code, address: ticket.household.address }));
  if (ticket.filedOnBehalf) print(t('cli.tickets.on_behalf'));
  if (ticket.mergedInto) print(t('cli.tickets.merged_into', { number: ticket.mergedInto }));
  if (ticket.mergedFrom.length > 0) print(t('cli.tickets.merged_from', { numbers: ticket.mergedFrom.join(t('cli.list_separator')) }));
  if (ticket.rating) print(t('cli.tickets.rating', { stars: ticket.rating.stars }));
  print(t('cli.tickets.description', { text: indented(ticket.description) }));

  print(t('cli.tickets.deadlines'));
  print(`  ${t('cli.tickets.first_response', { state: deadlineText(runtime, ticket.deadlines.firstResponse, timezone) })}`);
  if (ticket.deadlines.resolution) print(`  ${t('cli.tickets.resolution', { state: deadlineText(runtime, ticket.deadlines.resolution, timezone) })}`);

  print(t('cli.tickets.history'));
  for (const entry of ticket.timeline) print(`  ${historyLine(runtime, entry, timezone)}`);
}

/** "due 2026-06-01 14:00, 2 h left" — where one deadline stands. */
function deadlineText(runtime: CliRuntime, state: DeadlineState, timezone: string): string {
  const t = runtime.t.bind(runtime);
  const due = formatMinute(state.dueAt, timezone);
  switch (state.state) {
    case 'running':
      return t('cli.tickets.deadline_running', { due, time: durationText(t, state.remainingMs) });
    case 'overdue':
      return t('cli.tickets.deadline_overdue', { due, time: durationText(t, state.overdueMs) });
    case 'met':
      return t(state.late ? 'cli.tickets.deadline_met_late' : 'cli.tickets.deadline_met', { due, at: formatMinute(state.metAt, timezone) });
    case 'stopped':
      return t('cli.tickets.deadline_stopped', { due });
  }
}

/** The words for each kind of history entry. */
const EVENT_KEYS: Readonly<Record<string, string>> = {
  filed: 'cli.tickets.event.filed',
  resident_message: 'cli.tickets.event.resident_message',
  staff_reply: 'cli.tickets.event.staff_reply',
  internal_note: 'cli.tickets.event.internal_note',
  claimed: 'cli.tickets.event.claimed',
  assigned: 'cli.tickets.event.assigned',
  marked_major: 'cli.tickets.event.marked_major',
  resolved: 'cli.tickets.event.resolved',
  reopened: 'cli.tickets.event.reopened',
  merged: 'cli.tickets.event.merged',
  withdrawn: 'cli.tickets.event.withdrawn',
  rated: 'cli.tickets.event.rated',
  escalated: 'cli.tickets.event.escalated',
  closed: 'cli.tickets.event.closed',
};

/** "2026-06-01 12:00  Internal note  周主任  text": when, what (internal notes marked), who, and what was said. */
function historyLine(runtime: CliRuntime, entry: TimelineEntry, timezone: string): string {
  const t = runtime.t.bind(runtime);
  const key = EVENT_KEYS[entry.kind];
  const what = key ? t(key) : entry.kind;
  const who =
    entry.actor.kind === 'staff'
      ? entry.actor.name
      : entry.actor.kind === 'resident'
        ? entry.actor.maskedName
        : entry.actor.kind === 'system'
          ? t('cli.tickets.by_system')
          : t('cli.tickets.by_removed');
  const details: string[] = [];
  if (entry.kind === 'assigned') details.push(t('cli.tickets.assigned_to', { name: entry.assigneeName ?? t('cli.tickets.by_removed') }));
  if (entry.kind === 'merged' && entry.mergedIntoNumber) details.push(t('cli.tickets.merged_into', { number: entry.mergedIntoNumber }));
  if (entry.kind === 'rated' && entry.stars != null) details.push(t('cli.tickets.rating', { stars: entry.stars }));
  if (entry.text) details.push(indented(entry.text));
  if (entry.photos.length > 0) details.push(t('cli.tickets.photos', { count: entry.photos.length }));
  return [formatMinute(entry.at, timezone), entry.internal ? t('cli.tickets.internal_mark', { what }) : what, who, ...details].join('  ');
}

/** Text of several lines kept readable under its heading. */
function indented(text: string): string {
  return text.trim().replace(/\r?\n/g, '\n    ');
}
