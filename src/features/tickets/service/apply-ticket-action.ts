/**
 * The one way a ticket changes after filing, for the resident side and the staff inbox alike:
 * read the ticket, ask the status machine (rules/transition.ts), save the new state only if the
 * ticket's version is still the one read (two staff pressing "claim" at once: one wins, the other
 * hears `version_conflict`), write the event, audit it, do the resident-side effects (messages to
 * the resident and the assignee, the rating question, the forum agenda, new due times on a
 * reopening) and publish `ticket.changed` — all in the caller's transaction.
 *
 * Permission is the caller's: check `assertCan` for the policy action before calling (the inbox
 * knows the staff chat, the resident side the person's household). The status machine still
 * refuses a resident acting as staff, and a resident who is neither reporter nor filer.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import type { AuditDetails } from '../../audit/audit-details.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { nextBiweeklyForum } from '../rules/biweekly-forum.js';
import { escalationsKeptOnReopen, isEscalationStep } from '../rules/escalation.js';
import { findCategory } from '../rules/categories.js';
import { dueTimes } from '../rules/deadlines.js';
import type { TicketSettings } from '../rules/settings.js';
import type { TicketActor, TicketEffect, TicketState } from '../rules/ticket-state.js';
import { transition, type TicketAction, type TransitionError } from '../rules/transition.js';
import { askForRating } from './ask-for-rating.js';
import { AUDIT_ACTION_OF, EVENT_KIND_OF_ACTION } from './ticket-events.js';
import { writeTicketNotice } from './ticket-notices.js';
import type { TicketServiceDeps } from './ticket-service-deps.js';
import { loadTicketSettings } from './ticket-settings-store.js';
import { stateColumns, TICKET_STATE_SELECT, toTicketState, type TicketStateRow } from './ticket-state-row.js';

export interface ApplyTicketActionInput {
  ticketId: string;
  /** The ticket must belong to this community (a forged id from elsewhere is `not_found`). */
  communityId: string;
  action: TicketAction;
  /** Refuse with `version_conflict` unless the ticket is still at this version (a card's button). */
  expectedVersion?: number;
  /** The event's text: the reply, the resolution, the note, the resident's message, a rating comment. */
  text?: string | null;
  photos?: readonly string[];
  /** Ids and codes for the event (never text). */
  details?: Record<string, string | number | boolean | null>;
  /** More columns to set with the change (the answer to "was it solved?", photos added). */
  columns?: Prisma.TicketUncheckedUpdateManyInput;
  /** Who is audited; default: the acting resident or staff member, or the system. */
  auditActor?: Actor;
  /**
   * The resident already got their answer in the chat (no notice about their own action, and no
   * rating question: a chat that resolves on the resident's word asks for the rating itself).
   */
  residentAnsweredInChat?: boolean;
}

export type ApplyTicketActionResult =
  | {
      ok: true;
      /** Nothing changed (a second tap on "claim"): no event, no audit, nothing published. */
      noop: boolean;
      ticket: TicketState & { number: string; version: number };
      /** What the status machine asked for (see TicketChange.effects). */
      effects: TicketEffect[];
      eventId: string | null;
      /** Outbox rows written (dispatch them after commit; the sweep sends them otherwise). */
      rows: QueuedOutboxRow[];
    }
  | { ok: false; error: TransitionError | 'not_found' | 'version_conflict'; mergedIntoId?: string };

/** Applies one action to one ticket (see the file's comment). */
export async function applyTicketAction(tx: Tx, deps: TicketServiceDeps, input: ApplyTicketActionInput): Promise<ApplyTicketActionResult> {
  const row = await tx.ticket.findFirst({ where: { id: input.ticketId, communityId: input.communityId }, select: TICKET_STATE_SELECT });
  if (!row) return { ok: false, error: 'not_found' };
  if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) return { ok: false, error: 'version_conflict' };
  const before = toTicketState(row);
  const result = transition(before, input.action);
  if (!result.ok) return result.mergedIntoId ? { ok: false, error: result.error, mergedIntoId: result.mergedIntoId } : { ok: false, error: result.error };
  if (result.noop) return { ok: true, noop: true, ticket: { ...before, number: row.number, version: row.version }, effects: [], eventId: null, rows: [] };

  const at = input.action.at;
  const after = result.ticket;
  const settings = await loadTicketSettings(tx, row.communityId);
  const data: Prisma.TicketUncheckedUpdateManyInput = { ...stateColumns(before, after, at), ...input.columns, version: { increment: 1 } };
  if (result.effects.includes('schedule_deadlines')) Object.assign(data, await restartedDeadlines(tx, settings, row, at));
  const updated = await tx.ticket.updateMany({ where: { id: row.id, version: row.version }, data });
  if (updated.count !== 1) return { ok: false, error: 'version_conflict' };

  const kind = EVENT_KIND_OF_ACTION[input.action.type];
  const actorId = ticketActorId(input.action.actor);
  const eventDetails: Record<string, string | number | boolean | null> = { ...input.details, from: before.status, to: after.status };
  if (input.action.type === 'assign') eventDetails['assigneeId'] = input.action.to;
  if (input.action.type === 'merge') eventDetails['mergedIntoId'] = input.action.into.id;
  if (after.reopenCount > before.reopenCount) eventDetails['reopened'] = true;
  const event = await tx.ticketEvent.create({
    data: { ticketId: row.id, kind, actorId, text: input.text ?? null, photos: [...(input.photos ?? [])], details: eventDetails, createdAt: at },
    select: { id: true },
  });
  await recordAudit(tx, {
    communityId: row.communityId,
    actor: input.auditActor ?? auditActorOf(input.action.actor, row.communityId),
    action: AUDIT_ACTION_OF[input.action.type],
    subjectType: 'ticket',
    subjectId: row.id,
    details: auditDetails(eventDetails, event.id),
  });

  const rows = await residentSideEffects(tx, deps, settings, {
    row,
    after,
    effects: result.effects,
    text: input.text ?? null,
    photos: input.photos ?? [],
    action: input.action,
    at,
    residentAnsweredInChat: input.residentAnsweredInChat ?? false,
  });
  await deps.events.publish(tx, 'ticket.changed', { communityId: row.communityId, ticketId: row.id, eventId: event.id, kind, effects: result.effects });
  return { ok: true, noop: false, ticket: { ...after, number: row.number, version: row.version + 1 }, effects: result.effects, eventId: event.id, rows };
}

async function residentSideEffects(
  tx: Tx,
  deps: TicketServiceDeps,
  settings: TicketSettings,
  change: {
    row: TicketStateRow;
    after: TicketState;
    effects: TicketEffect[];
    text: string | null;
    photos: readonly string[];
    action: TicketAction;
    at: Date;
    residentAnsweredInChat: boolean;
  },
): Promise<QueuedOutboxRow[]> {
  const { row, after, effects, action } = change;
  const rows: QueuedOutboxRow[] = [];
  const recipient = after.reporterId ?? after.filedById;
  if (effects.includes('notify_resident') && recipient && !change.residentAnsweredInChat) {
    const notice = await residentNoticeKey(tx, action, after);
    if (notice) {
      rows.push(
        ...(await writeTicketNotice(tx, deps, settings, {
          residentId: recipient,
          ticketId: row.id,
          // A staff reply that is a photo alone says so instead of quoting nothing.
          key: notice.key === 'tickets.notice.staff_reply' && !change.text && change.photos.length > 0 ? 'tickets.notice.staff_photo' : notice.key,
          vars: () => ({ number: row.number, text: change.text ?? '', target: notice.target ?? '' }),
          photos: change.photos,
        })),
      );
    }
  }
  if (effects.includes('notify_assignee') && action.type === 'assign') {
    rows.push(
      ...(await writeTicketNotice(tx, deps, settings, {
        residentId: action.to,
        ticketId: row.id,
        key: 'tickets.notice.assigned_to_you',
        vars: (words) => ({ number: row.number, kind: words.kind(row.kind), category: words.category(settings.categories, row.category) }),
      })),
    );
  }
  if (effects.includes('add_forum_agenda')) {
    const meetingAt = settings.forumAnchor ? nextBiweeklyForum(change.at, new Date(settings.forumAnchor), settings.timezone) : null;
    await tx.agendaItem.upsert({
      where: { ticketId_reason: { ticketId: row.id, reason: 'major' } },
      create: { communityId: row.communityId, ticketId: row.id, reason: 'major', meetingAt },
      update: {},
    });
  }
  if (effects.includes('ask_rating') && !change.residentAnsweredInChat) rows.push(...(await askForRating(tx, deps, row.id)));
  return rows;
}

async function residentNoticeKey(tx: Tx, action: TicketAction, after: TicketState): Promise<{ key: string; target?: string } | null> {
  switch (action.type) {
    case 'reply':
      return { key: 'tickets.notice.staff_reply' };
    case 'resolve':
      return { key: 'tickets.notice.resolved' };
    case 'reopen':
      return { key: 'tickets.notice.reopened' };
    case 'merge': {
      const target = after.mergedIntoId ? await tx.ticket.findUnique({ where: { id: after.mergedIntoId }, select: { number: true } }) : null;
      return { key: 'tickets.notice.merged', target: target?.number ?? '' };
    }
    default:
      return null;
  }
}

/**
 * Due times from `at` (a reopening starts both clocks again), and a fresh escalation round —
 * except that a ticket already put before the biweekly forum is not put there again.
 */
async function restartedDeadlines(tx: Tx, settings: TicketSettings, row: TicketStateRow, at: Date): Promise<Prisma.TicketUncheckedUpdateManyInput> {
  const household = row.householdId ? await tx.household.findUnique({ where: { id: row.householdId }, select: { flags: true } }) : null;
  const due = dueTimes({
    category: findCategory(settings.categories, row.category),
    kind: toTicketState(row).kind,
    createdAt: at,
    householdFlags: household?.flags ?? [],
    businessHours: settings.businessHours,
    timezone: settings.timezone,
  });
  return {
    firstResponseDueAt: due.firstResponseDue,
    resolutionDueAt: due.resolutionDue,
    publicResolutionDueAt: due.publicResolutionDue,
    escalationsDone: escalationsKeptOnReopen(row.escalationsDone.filter(isEscalationStep)),
  };
}

function ticketActorId(actor: TicketActor): string | null {
  return actor.kind === 'resident' ? actor.residentId : actor.kind === 'staff' ? actor.staffId : null;
}

/** The audit log's actor when the caller gave none: the person by id, or the system. */
function auditActorOf(actor: TicketActor, communityId: string): Actor {
  const residentId = ticketActorId(actor);
  if (!residentId) return { kind: 'system' };
  return { kind: 'person', residentId, communityId, householdId: null, headOfGroupId: null, roles: [] };
}

function auditDetails(details: Record<string, string | number | boolean | null>, eventId: string): AuditDetails {
  const out: AuditDetails = { eventId };
  for (const [key, value] of Object.entries(details)) out[key] = value;
  return out;
}
