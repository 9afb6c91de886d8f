/**
 * Filing a ticket, in the caller's transaction: the number from the community's counter, the
 * category from its settings, due times (shorter for priority households), the first handler
 * (routing), the `filed` event, the audit row when filed on someone's behalf, the messages (the
 * household filed for, the handler's own chat, others at the handler's level) and `ticket.changed` on the event bus.
 * Either all of it happens or none: a failure rolls the number back too.
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { assertCan } from '../../policy/policy.js';
import { dueTimes, isPriorityHousehold, resolutionNotBefore, type DueTimes } from '../rules/deadlines.js';
import type { Duration } from '../rules/duration.js';
import type { TicketKind } from '../rules/kinds.js';
import { localYear } from '../rules/local-time.js';
import type { Route } from '../rules/routing.js';
import { formatTicketNumber } from '../rules/ticket-number.js';
import { newTicketState } from '../rules/ticket-state.js';
import { roleWordKey, roleWordsOf } from './role-words.js';
import { routeForArea } from './route-store.js';
import { nextTicketSequence } from './ticket-counter.js';
import { writeTicketNotice } from './ticket-notices.js';
import { clockOf, type TicketServiceDeps } from './ticket-service-deps.js';
import { loadTicketSettings } from './ticket-settings-store.js';
import { numberPrefixFor } from '../rules/settings.js';
import type { TicketWords } from './ticket-words.js';

/** Longest description, place text and number of photos a ticket keeps. */
export const TICKET_LIMITS = { descriptionMax: 2000, placeTextMax: 200, photosMax: 10 } as const;

export interface FileTicketInput {
  communityId: string;
  /**
   * Who types it in: a bound person (for their own household, or on behalf of another), or an
   * API client (Open311: a report about a place, by nobody the community knows).
   */
  actor: Actor;
  /**
   * The household it is for. Omitted: the actor's own (none for staff who live elsewhere: then a
   * report about a place). Another household: filed on its behalf (`ticket.file_on_behalf`).
   */
  householdId?: string | null;
  kind: TicketKind;
  /** A code of the community's category list. */
  category: string;
  description: string;
  /** Another place than the household's own area: typed text and/or a location pin. */
  place?: { text?: string | null; latitude?: number | null; longitude?: number | null } | null;
  photos?: readonly string[];
  /** "Keep my name from other residents" (staff still see it). */
  anonymous?: boolean;
  /** The filer agreed that the words appear in the open data feed (default no). */
  publishText?: boolean;
  /** The filer gets their answer from the conversation itself (the flow's reply), not a notice. */
  filerAnsweredInChat?: boolean;
  /** When it is filed (default: the deps' clock). */
  at?: Date;
  /** The resolution is not due before this (a booked visit's end), however short the category's deadline. */
  resolutionNotBefore?: Date;
  /**
   * The staff member it is routed to holds it (deadlines, escalation) but is not told of each
   * one: a team does the work (repair jobs go to the service team, bookings to the housekeeping
   * service), and the holder hears only what needs them (nobody could take a job).
   */
  holderNotToldAtFiling?: boolean;
}

/** Who may file at all: a person, or another system through the API. */
type Filer = Extract<Actor, { kind: 'person' } | { kind: 'api_client' }>;

export interface FiledTicket {
  ticketId: string;
  number: string;
  eventId: string;
  assigneeId: string | null;
  route: Route;
  due: DueTimes;
  /** What was promised for the first answer: the length, and whether it counts business hours only. */
  firstResponse: { duration: Duration; businessHours: boolean };
  onBehalf: boolean;
  reporterId: string | null;
  /** Outbox rows written (dispatch them after commit; the sweep sends them otherwise). */
  rows: QueuedOutboxRow[];
}

/** Why a filing was refused (permissions refuse with `PolicyDeniedError` instead). */
export type TicketFilingProblem = 'not_a_person' | 'unknown_category' | 'description_length' | 'household_not_found' | 'no_place' | 'too_many_photos' | 'place_too_long';

export class TicketFilingError extends Error {
  override readonly name = 'TicketFilingError';
  constructor(readonly problem: TicketFilingProblem) {
    super(`ticket not filed: ${problem}`);
  }
}

/** Files one ticket (see the file's comment). */
export async function fileTicket(tx: Tx, deps: TicketServiceDeps, input: FileTicketInput): Promise<FiledTicket> {
  const { actor, communityId } = input;
  if (actor.kind !== 'person' && actor.kind !== 'api_client') throw new TicketFilingError('not_a_person');
  const filer: Filer = actor;
  const filerId = filer.kind === 'person' ? filer.residentId : null;
  const ownHouseholdId = filer.kind === 'person' ? filer.householdId : null;
  const at = input.at ?? clockOf(deps);
  const description = input.description.trim();
  if (description.length === 0 || [...description].length > TICKET_LIMITS.descriptionMax) throw new TicketFilingError('description_length');
  const photos = [...(input.photos ?? [])];
  if (photos.length > TICKET_LIMITS.photosMax) throw new TicketFilingError('too_many_photos');
  const placeText = input.place?.text?.trim() || null;
  if (placeText && [...placeText].length > TICKET_LIMITS.placeTextMax) throw new TicketFilingError('place_too_long');

  const settings = await loadTicketSettings(tx, communityId);
  const category = settings.categories.find((c) => c.code === input.category);
  if (!category) throw new TicketFilingError('unknown_category');

  const householdId = input.householdId === undefined ? ownHouseholdId : input.householdId;
  const household = householdId
    ? await tx.household.findFirst({ where: { id: householdId, communityId }, select: { id: true, areaId: true, groupId: true, flags: true } })
    : null;
  if (householdId && !household) throw new TicketFilingError('household_not_found');
  const hasPin = typeof input.place?.latitude === 'number' && typeof input.place?.longitude === 'number';
  if (!household && !placeText && !hasPin) throw new TicketFilingError('no_place');

  const areaIds = household ? await areaAncestry(tx, household.areaId) : [];
  const onBehalf = household !== null && household.id !== ownHouseholdId;
  if (onBehalf) {
    assertCan(actor, 'ticket.file_on_behalf', { communityId, householdId: household.id, groupId: household.groupId, areaIds }, { now: at });
  } else {
    assertCan(actor, 'ticket.file', { communityId, householdId: household?.id ?? null, areaIds }, { now: at });
  }
  const reporterId = onBehalf ? await reachableMemberOf(tx, household.id) : filerId;

  const flags = household?.flags ?? [];
  const categoryDue = dueTimes({ category, kind: input.kind, createdAt: at, householdFlags: flags, businessHours: settings.businessHours, timezone: settings.timezone });
  const due = input.resolutionNotBefore ? resolutionNotBefore(categoryDue, input.resolutionNotBefore) : categoryDue;
  const route = await routeForArea(tx, { communityId, areaId: household?.areaId ?? null, category, exclude: reporterId ? [reporterId] : [], now: at });
  // The number last of the reads: its counter row stays locked until the filing commits, and
  // every other filing in the community waits for it (numbers stay gapless).
  const year = localYear(at, settings.timezone);
  const prefix = numberPrefixFor(settings, input.kind);
  const seq = await nextTicketSequence(tx, communityId, prefix, year);
  const number = formatTicketNumber(prefix, year, seq);

  const ticket = await tx.ticket.create({
    data: {
      communityId,
      number,
      year,
      seq,
      kind: input.kind,
      category: category.code,
      description,
      householdId: household?.id ?? null,
      areaId: household?.areaId ?? null,
      placeText,
      latitude: hasPin ? input.place!.latitude! : null,
      longitude: hasPin ? input.place!.longitude! : null,
      photos,
      anonymous: input.anonymous ?? false,
      publishText: (input.publishText ?? false) && !(input.anonymous ?? false),
      reporterId,
      filedById: filerId,
      assigneeId: route.assigneeId,
      firstResponseDueAt: due.firstResponseDue,
      resolutionDueAt: due.resolutionDue,
      publicResolutionDueAt: due.publicResolutionDue,
      createdAt: at,
    },
    select: { id: true },
  });
  const { effects } = newTicketState({ id: ticket.id, kind: input.kind, reporterId, filedById: filerId, assigneeId: route.assigneeId });
  const event = await tx.ticketEvent.create({
    data: {
      ticketId: ticket.id,
      kind: 'filed',
      actorId: filerId,
      text: description,
      photos,
      details: { kind: input.kind, category: category.code, via: route.via, onBehalf, tier: due.tier, ...(filer.kind === 'api_client' ? { filedVia: 'open311' } : {}) },
      createdAt: at,
    },
    select: { id: true },
  });
  if (filer.kind === 'api_client') {
    // Nobody in the community typed this in: the record says which configured key did.
    await recordAudit(tx, { communityId, actor, action: 'ticket.file', subjectType: 'ticket', subjectId: ticket.id, details: { key: filer.key, eventId: event.id } });
  }
  if (onBehalf) {
    await recordAudit(tx, {
      communityId,
      actor,
      action: 'ticket.file_on_behalf',
      subjectType: 'ticket',
      subjectId: ticket.id,
      details: { householdId: household.id, eventId: event.id },
    });
  }

  const priority = isPriorityHousehold(flags);
  const firstResponse = { duration: priority ? category.priority.firstResponse : category.firstResponse, businessHours: due.clock === 'business_hours' };
  const rows: QueuedOutboxRow[] = [];
  const notice = (residentId: string, key: string, extra: (words: TicketWords) => Record<string, string> = () => ({})) =>
    writeTicketNotice(tx, deps, settings, {
      residentId,
      ticketId: ticket.id,
      key,
      vars: (words) => ({
        number,
        kind: words.kind(input.kind),
        category: words.category(settings.categories, category.code),
        expect: words.expectedAnswer(firstResponse.duration, firstResponse.businessHours, due.firstResponseDue),
        ...extra(words),
      }),
    });
  if (effects.includes('notify_resident') && filerId && !input.filerAnsweredInChat) rows.push(...(await notice(filerId, 'tickets.notice.filed')));
  if (effects.includes('notify_household') && reporterId && filerId) {
    const filerWord = (await roleWordsOf(tx, [filerId], at)).get(filerId) ?? 'resident';
    rows.push(...(await notice(reporterId, 'tickets.notice.filed_for_you', (words) => ({ filer: words.t(roleWordKey(filerWord)) }))));
  }
  if (effects.includes('notify_assignee') && route.assigneeId && !input.holderNotToldAtFiling) rows.push(...(await notice(route.assigneeId, 'tickets.notice.new_for_you')));
  for (const other of route.alsoNotify) rows.push(...(await notice(other, 'tickets.notice.new_in_your_area')));

  await deps.events.publish(tx, 'ticket.changed', { communityId, ticketId: ticket.id, eventId: event.id, kind: 'filed', effects });
  return { ticketId: ticket.id, number, eventId: event.id, assigneeId: route.assigneeId, route, due, firstResponse, onBehalf, reporterId, rows };
}

/**
 * Whom a ticket filed for a household is for: its first member (roster order) with a reachable
 * chat account, who hears of it and may follow it up; null when nobody in it has one.
 */
async function reachableMemberOf(tx: Tx, householdId: string): Promise<string | null> {
  const member = await tx.resident.findFirst({
    where: { householdId, chatAccounts: { some: { unreachableAt: null } } },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    select: { id: true },
  });
  return member?.id ?? null;
}

