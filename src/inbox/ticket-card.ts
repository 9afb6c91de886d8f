/**
 * A ticket's card in the staff chat: who asked (name and masked phone), where (the household's
 * area, its priority flags), what (kind, category, description, place), by when (the deadlines),
 * who holds it, and the household's earlier tickets with their status. Staff see the name even
 * when the resident asked to stay anonymous toward other residents (the card says so).
 *
 * Cards are written once, when the ticket is filed; each later change is a short line in the
 * ticket's thread (ticket-lines.ts) rather than an edit of the card: a line leaves a history staff
 * can read back and reply to (each line belongs to the ticket), it works the same on WeChat, which
 * cannot edit a message, and an edit would cost the group's sending budget (20 a minute) just the
 * same while needing the card's message id, which exists only after delivery.
 */
import type { Tx } from '../db/prisma-types.js';
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from '../features/community/vocabulary.js';
import { maskPhone } from '../features/privacy/mask.js';
import type { Translator } from '../i18n/translator.js';
import type { StaffPlace } from './staff-place.js';
import { wordsFor, type InboxCommunity } from './ticket-context.js';

/** How many of the household's earlier tickets a card lists. */
export const EARLIER_TICKETS_SHOWN = 5;

const FLAG_KEYS: Record<HouseholdFlag, string> = {
  elderly: 'inbox.flag.elderly',
  disabled: 'inbox.flag.disabled',
  ill: 'inbox.flag.ill',
  low_income: 'inbox.flag.low_income',
  veteran_family: 'inbox.flag.veteran_family',
};

/** Everything a card shows, read in the caller's transaction. */
export interface CardFacts {
  ticketId: string;
  number: string;
  year: number;
  seq: number;
  kind: string;
  category: string;
  status: string;
  major: boolean;
  anonymous: boolean;
  description: string;
  placeText: string | null;
  reporter: { name: string; phone: string | null } | null;
  reporterId: string | null;
  /** The household it is for; null for a report about a place. */
  householdId: string | null;
  /** Filed by another system through Open311: nobody in chat to answer. */
  filedThroughApi: boolean;
  assigneeId: string | null;
  /** The area path of the household, else of the ticket. */
  areaPath: string | null;
  flags: HouseholdFlag[];
  assigneeName: string | null;
  firstResponseDueAt: Date;
  resolutionDueAt: Date | null;
  earlier: { number: string; status: string }[];
}

/** Reads a card's facts; null when the ticket does not exist. */
export async function loadCardFacts(tx: Tx, ticketId: string): Promise<CardFacts | null> {
  const ticket = await tx.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      number: true,
      year: true,
      seq: true,
      kind: true,
      category: true,
      status: true,
      major: true,
      anonymous: true,
      description: true,
      placeText: true,
      householdId: true,
      reporterId: true,
      assigneeId: true,
      createdAt: true,
      firstResponseDueAt: true,
      resolutionDueAt: true,
      reporter: { select: { name: true, phone: true } },
      assignee: { select: { name: true } },
      area: { select: { path: true } },
      household: { select: { flags: true, area: { select: { path: true } } } },
      events: { where: { kind: 'filed' }, take: 1, select: { details: true } },
    },
  });
  if (!ticket) return null;
  const filedDetails = ticket.events[0]?.details as { filedVia?: unknown } | undefined;
  const earlier = ticket.householdId
    ? await tx.ticket.findMany({
        where: { householdId: ticket.householdId, id: { not: ticket.id }, createdAt: { lte: ticket.createdAt } },
        orderBy: { createdAt: 'desc' },
        take: EARLIER_TICKETS_SHOWN,
        select: { number: true, status: true },
      })
    : [];
  return {
    ticketId: ticket.id,
    number: ticket.number,
    year: ticket.year,
    seq: ticket.seq,
    kind: ticket.kind,
    category: ticket.category,
    status: ticket.status,
    major: ticket.major,
    anonymous: ticket.anonymous,
    description: ticket.description,
    placeText: ticket.placeText,
    reporter: ticket.reporter,
    reporterId: ticket.reporterId,
    householdId: ticket.householdId,
    filedThroughApi: filedDetails?.filedVia === 'open311',
    assigneeId: ticket.assigneeId,
    areaPath: ticket.household?.area.path ?? ticket.area?.path ?? null,
    flags: (ticket.household?.flags ?? []).filter((flag): flag is HouseholdFlag => (HOUSEHOLD_FLAGS as readonly string[]).includes(flag)),
    assigneeName: ticket.assignee?.name ?? null,
    firstResponseDueAt: ticket.firstResponseDueAt,
    resolutionDueAt: ticket.resolutionDueAt,
    earlier,
  };
}

/**
 * The card's text in `locale`. `place`: how staff answer in the chat it goes to (the hint at its
 * foot); `ref`: how staff type the ticket in a command (`#123` or the full number).
 */
export function renderCard(translator: Translator, community: InboxCommunity, facts: CardFacts, locale: string, place: StaffPlace, ref: string): string {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  const words = wordsFor(translator, community, locale);
  const time = (at: Date) => words.dateTime(at);
  const category = words.category(community.settings.categories, facts.category);
  const status = t('inbox.card.status', { status: words.status(facts.status) });
  const lines: string[] = [t('inbox.card.title', { number: facts.number, kind: words.kind(facts.kind), category })];
  lines.push(facts.major ? `${status} ${t('inbox.card.major')}` : status);
  if (facts.reporter) {
    const phone = facts.reporter.phone ? maskPhone(facts.reporter.phone) : t('inbox.card.no_phone');
    lines.push(t('inbox.card.resident', { name: facts.reporter.name, phone }));
  } else {
    lines.push(t(facts.filedThroughApi ? 'inbox.card.via_open311' : facts.householdId ? 'inbox.card.no_resident' : 'inbox.card.no_reporter'));
  }
  if (facts.anonymous) lines.push(t('inbox.card.anonymous'));
  if (facts.areaPath) lines.push(t('inbox.card.area', { area: facts.areaPath }));
  if (facts.flags.length > 0) lines.push(t('inbox.card.flags', { flags: facts.flags.map((flag) => t(FLAG_KEYS[flag])).join(t('inbox.list_separator')) }));
  if (facts.placeText) lines.push(t('inbox.card.place', { place: facts.placeText }));
  lines.push(t('inbox.card.description', { description: facts.description }));
  lines.push(
    facts.resolutionDueAt
      ? t('inbox.card.deadlines', { firstResponse: time(facts.firstResponseDueAt), resolution: time(facts.resolutionDueAt) })
      : t('inbox.card.deadline_first_only', { firstResponse: time(facts.firstResponseDueAt) }),
  );
  lines.push(facts.assigneeName ? t('inbox.card.assignee', { name: facts.assigneeName }) : t('inbox.card.no_assignee'));
  if (!facts.householdId) {
    // A report about a place: there is no household with a history to show.
  } else if (facts.earlier.length === 0) {
    lines.push(t('inbox.card.earlier_none'));
  } else {
    const items = facts.earlier.map((earlier) => t('inbox.card.earlier_item', { number: earlier.number, status: words.status(earlier.status) }));
    lines.push(t('inbox.card.earlier', { tickets: items.join(t('inbox.list_separator')) }));
  }
  lines.push('');
  if (place === 'forum') lines.push(t('inbox.card.hint_forum'));
  else if (place === 'replies') lines.push(t('inbox.card.hint_group'));
  else lines.push(t('inbox.card.hint_commands', { ref }));
  return lines.join('\n');
}

/** The forum topic's name: "<number>｜<category>", like the card's title. */
export function topicName(translator: Translator, community: InboxCommunity, ticket: { number: string; category: string }, locale: string): string {
  const category = wordsFor(translator, community, locale).category(community.settings.categories, ticket.category);
  return translator.t(locale, 'inbox.card.topic', { number: ticket.number, category });
}
