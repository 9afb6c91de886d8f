/**
 * The effects flows/housekeeping.yaml calls (declared in module.ts): what can be booked (services,
 * dates and times with places left, from real capacity), booking, the person's bookings, and
 * moving or cancelling one. Each returns a `status` for the flow to branch on and, where a prompt
 * shows something, the words already in the person's language.
 */
import type { EffectContext, EffectEntry, EffectHandler } from '../../conversation/effects.js';
import type { Json } from '../../conversation/engine-types.js';
import type { Actor } from '../policy/actor.js';
import { loadActor } from '../policy/load-actor.js';
import { loadTicketSettings } from '../tickets/service/ticket-settings-store.js';
import { changesCloseAt } from './rules/change-cutoff.js';
import { bookableSlots, offeredDates, placesLeft } from './rules/offered-slots.js';
import { bookVisit } from './service/book-visit.js';
import { findSlot } from './service/booking-rows.js';
import { activeServices, upcomingBookingsOf, upcomingSlots } from './service/catalogue.js';
import { cancelVisit, changeableBooking, moveVisit } from './service/change-visit.js';
import type { HousekeepingDeps } from './service/housekeeping-deps.js';
import { HousekeepingWords } from './service/housekeeping-words.js';

/** Dates offered at once (the nearest with places left). */
export const DATES_OFFERED = 7;

export function housekeepingEffects(deps: HousekeepingDeps): Map<string, EffectEntry> {
  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });
  const wordsFor = async (ctx: EffectContext) => new HousekeepingWords(deps.tickets.translator, ctx.locale, (await loadTicketSettings(ctx.tx, ctx.communityId)).timezone);

  /** The dates of a service with places left: `{ status: ok | none, service, dates }`. */
  const dates = async (ctx: EffectContext, serviceId: string): Promise<Json> => {
    const service = (await activeServices(ctx.tx, ctx.communityId)).find((s) => s.id === serviceId);
    if (!service) return { status: 'none', service: '', dates: [] };
    const w = await wordsFor(ctx);
    const slots = await upcomingSlots(ctx.tx, ctx.communityId, service.id, deps.now());
    const offered = offeredDates(slots, service.cutoffMinutes, deps.now(), DATES_OFFERED);
    return {
      status: offered.length > 0 ? 'ok' : 'none',
      service: w.service(service),
      dates: offered.map(({ date, left }) => ({ value: date, label: w.t('housekeeping.offer.date', { day: w.day(date), left }) })),
    };
  };

  return new Map<string, EffectEntry>([
    [
      'housekeeping_start',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor?.householdId) return { status: 'no_home', booked: 'no', services: [] };
        const w = await wordsFor(ctx);
        const services = await activeServices(ctx.tx, ctx.communityId);
        const mine = await upcomingBookingsOf(ctx.tx, ctx.communityId, actor.residentId, deps.now());
        return {
          status: services.length > 0 ? 'ok' : 'no_services',
          booked: mine.length > 0 ? 'yes' : 'no',
          services: services.map((service) => ({ value: service.id, label: w.service(service) })),
        };
      }),
    ],
    ['housekeeping_dates', readOnly(async (ctx, args) => dates(ctx, text(args.service)))],
    [
      'housekeeping_times',
      readOnly(async (ctx, args): Promise<Json> => {
        const service = (await activeServices(ctx.tx, ctx.communityId)).find((s) => s.id === text(args.service));
        if (!service) return { status: 'none', times: [] };
        const w = await wordsFor(ctx);
        const slots = (await upcomingSlots(ctx.tx, ctx.communityId, service.id, deps.now())).filter((slot) => slot.date === text(args.date));
        const open = bookableSlots(slots, service.cutoffMinutes, deps.now());
        return {
          status: open.length > 0 ? 'ok' : 'none',
          day: w.day(text(args.date)),
          times: open.map((slot) => ({ value: slot.id, label: w.t('housekeeping.offer.time', { start: slot.startTime, end: slot.endTime, left: placesLeft(slot) }) })),
        };
      }),
    ],
    [
      'housekeeping_summary',
      readOnly(async (ctx, args): Promise<Json> => {
        const slot = await findSlot(ctx.tx, ctx.communityId, text(args.slot));
        if (!slot) return { status: 'not_found', text: '' };
        const w = await wordsFor(ctx);
        const notes = notesOf(args);
        const lines = [
          w.t('housekeeping.summary.service', { service: w.service(slot.service) }),
          w.t('housekeeping.summary.visit', { visit: w.visit(slot) }),
          notes ? w.t('housekeeping.summary.notes', { notes }) : w.t('housekeeping.summary.no_notes'),
          w.t('housekeeping.summary.cutoff', { until: w.moment(changesCloseAt(slot.startsAt, slot.service.cutoffMinutes)) }),
        ];
        return { status: 'ok', text: lines.join('\n') };
      }),
    ],
    [
      'housekeeping_book',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'denied' };
        const booked = await bookVisit(ctx.tx, deps, { communityId: ctx.communityId, actor, slotId: text(args.slot), notes: notesOf(args) });
        if (booked.status !== 'booked') return { status: booked.status };
        const w = await wordsFor(ctx);
        return {
          status: 'booked',
          number: booked.number,
          visit: w.visit(booked.slot),
          until: w.moment(changesCloseAt(booked.slot.startsAt, booked.slot.service.cutoffMinutes)),
        };
      },
    ],
    [
      'housekeeping_my_bookings',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'none', items: [] };
        const w = await wordsFor(ctx);
        const mine = await upcomingBookingsOf(ctx.tx, ctx.communityId, actor.residentId, deps.now());
        return {
          status: mine.length > 0 ? 'ok' : 'none',
          items: mine.map((booking) => ({
            value: booking.id,
            label: w.t('housekeeping.mine.item', { number: booking.ticket.number, service: w.service(booking.service), visit: w.visit(booking.slot) }),
          })),
        };
      }),
    ],
    [
      'housekeeping_view',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const w = await wordsFor(ctx);
        const found = await changeableBooking(ctx.tx, ctx.communityId, actor, text(args.booking), deps.now());
        if (typeof found === 'string') return { status: found };
        return {
          status: 'open',
          service: found.serviceId,
          number: found.ticket.number,
          text: w.t('housekeeping.mine.view', {
            number: found.ticket.number,
            service: w.service(found.slot.service),
            visit: w.visit(found.slot),
            until: w.moment(changesCloseAt(found.slot.startsAt, found.slot.service.cutoffMinutes)),
          }),
        };
      }),
    ],
    [
      'housekeeping_move',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const moved = await moveVisit(ctx.tx, deps, { communityId: ctx.communityId, actor, bookingId: text(args.booking), slotId: text(args.slot) });
        if (moved.status !== 'moved') return { status: moved.status };
        const w = await wordsFor(ctx);
        return { status: 'moved', number: moved.number, visit: w.visit(moved.slot) };
      },
    ],
    [
      'housekeeping_cancel',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const cancelled = await cancelVisit(ctx.tx, deps, { communityId: ctx.communityId, actor, bookingId: text(args.booking) });
        return cancelled.status === 'cancelled' ? { status: 'cancelled', number: cancelled.number } : { status: cancelled.status };
      },
    ],
  ]);
}

async function personOf(ctx: EffectContext): Promise<(Actor & { kind: 'person' }) | null> {
  const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
  return actor && actor.kind === 'person' ? actor : null;
}

/** The flow refuses groups already; an effect that books reached from one is a bug. */
function privateOnly(ctx: EffectContext): void {
  if (ctx.chat === 'group') throw new Error('housekeeping effects that book run only in private chats');
}

/** The notes, when the person chose to write some (an earlier answer left behind otherwise counts for nothing). */
function notesOf(args: Record<string, Json>): string {
  return text(args.with_notes) === 'write' ? text(args.notes).trim() : '';
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
