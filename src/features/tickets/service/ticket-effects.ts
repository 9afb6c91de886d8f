/**
 * The ticket effects flows call (names, arguments and their types declared in ../module.ts):
 * filing a complaint (flows/complaint.yaml), "my tickets" (flows/my_tickets.yaml) and rating
 * (flows/rate_ticket.yaml). Each returns a `status` for the flow to branch on and, where a prompt
 * shows something, the text already in the person's language. Effects that only read are
 * `ReadOnlyEffect`s (their results hold personal data and are never stored beyond the run); those
 * that change a ticket run once per pass of the flow.
 */
import type { EffectContext, EffectEntry, EffectHandler } from '../../../conversation/effects.js';
import type { Json } from '../../../conversation/engine-types.js';
import type { Actor } from '../../policy/actor.js';
import { areaAncestry } from '../../policy/area-ancestry.js';
import { loadActor } from '../../policy/load-actor.js';
import { can, PolicyDeniedError } from '../../policy/policy.js';
import { MAILBOX_KINDS, type TicketKind } from '../rules/kinds.js';
import { RATING_MAX, RATING_MIN } from '../rules/transition.js';
import { fileTicket, TicketFilingError, TICKET_LIMITS } from './file-ticket.js';
import { findTicketByNumber } from './find-ticket.js';
import { addToMyTicket, listMyTickets, rateMyTicket, ratingTarget, viewMyTicket, withdrawMyTicket, type MyTicketEvent, type MyTicketView } from './resident-tickets.js';
import { roleWordKey } from './role-words.js';
import { clockOf, type TicketServiceDeps } from './ticket-service-deps.js';
import { loadTicketSettings } from './ticket-settings-store.js';
import { TicketWords } from './ticket-words.js';

/** Photos one complaint takes in the conversation (the ticket itself keeps up to TICKET_LIMITS.photosMax). */
export const PHOTOS_PER_FILING = 5;
/** Tickets "my tickets" lists at once (the rest are found by number). */
export const MY_TICKETS_LISTED = 10;
/** Longest text of one event shown in a ticket's history. */
const EVENT_TEXT_SHOWN = 300;

/** Roles that may file for another household (the policy still decides which households). */
const ON_BEHALF_ROLES = ['liaison', 'patrol', 'committee', 'steward', 'council', 'admin'];

/** The ticket effects by name, ready for the composition root's registry. */
export function ticketEffects(deps: TicketServiceDeps): Map<string, EffectEntry> {
  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });
  const words = async (ctx: EffectContext) => new TicketWords(deps.translator, ctx.locale, (await loadTicketSettings(ctx.tx, ctx.communityId)).timezone);

  return new Map<string, EffectEntry>([
    [
      'tickets_filing_start',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'visitor', hasHome: 'no', onBehalf: 'no', categories: [] };
        const settings = await loadTicketSettings(ctx.tx, ctx.communityId);
        const w = new TicketWords(deps.translator, ctx.locale, settings.timezone);
        const onBehalf = actor.headOfGroupId !== null || actor.roles.some((held) => ON_BEHALF_ROLES.includes(held.role));
        return {
          status: 'ok',
          hasHome: actor.householdId ? 'yes' : 'no',
          onBehalf: onBehalf ? 'yes' : 'no',
          categories: settings.categories.map((category) => ({ value: category.code, label: w.category(settings.categories, category.code) })),
        };
      }),
    ],
    [
      'tickets_check_household',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        const household = actor ? await householdByCode(ctx, text(args.code)) : null;
        if (!actor || !household) return { status: 'unknown' };
        const subject = { communityId: ctx.communityId, householdId: household.id, groupId: household.groupId, areaIds: await areaAncestry(ctx.tx, household.areaId) };
        // Not found and not allowed read alike: a code outside one's reach says nothing about that home.
        if (!can(actor, 'ticket.file_on_behalf', subject, { now: clockOf(deps) })) return { status: 'unknown' };
        return { status: 'ok', address: household.address };
      }),
    ],
    [
      'tickets_collect_photo',
      readOnly(async (_ctx, args): Promise<Json> => {
        const list = photoList(args.photos);
        const photo = text(args.photo);
        if (photo !== '' && list.length < PHOTOS_PER_FILING && !list.includes(photo)) list.push(photo);
        return { list, count: list.length, full: list.length >= PHOTOS_PER_FILING ? 'yes' : 'no', max: PHOTOS_PER_FILING };
      }),
    ],
    [
      'tickets_draft_summary',
      readOnly(async (ctx, args): Promise<Json> => {
        const settings = await loadTicketSettings(ctx.tx, ctx.communityId);
        const w = new TicketWords(deps.translator, ctx.locale, settings.timezone);
        const draft = readDraft(args);
        const actor = await personOf(ctx);
        const household = draft.householdCode ? await householdByCode(ctx, draft.householdCode) : null;
        const home = household ?? (actor?.householdId ? await ctx.tx.household.findUnique({ where: { id: actor.householdId }, select: { address: true, area: { select: { path: true } } } }) : null);
        const lines = [
          w.t('tickets.draft.kind', { kind: w.kind(draft.kind) }),
          w.t('tickets.draft.category', { category: settings.categories.some((c) => c.code === draft.category) ? w.category(settings.categories, draft.category) : draft.category }),
          w.t('tickets.draft.description', { description: draft.description }),
          draft.place
            ? w.t('tickets.draft.place_other', { place: draft.place.text ?? w.t('tickets.draft.pin') })
            : w.t('tickets.draft.place_home', { area: home && 'area' in home ? home.area.path : (home?.address ?? '') }),
          draft.photos.length > 0 ? w.t('tickets.draft.photos', { count: draft.photos.length }) : w.t('tickets.draft.no_photos'),
          w.t(draft.anonymous ? 'tickets.draft.anonymous_yes' : 'tickets.draft.anonymous_no'),
          ...(draft.anonymous ? [] : [w.t(draft.publishText ? 'tickets.draft.publish_yes' : 'tickets.draft.publish_no')]),
        ];
        if (household) lines.unshift(w.t('tickets.draft.on_behalf', { address: household.address }));
        return { text: lines.join('\n') };
      }),
    ],
    [
      'tickets_file',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'denied' };
        const draft = readDraft(args);
        const household = draft.householdCode ? await householdByCode(ctx, draft.householdCode) : undefined;
        if (household === null) return { status: 'denied' };
        try {
          const filed = await fileTicket(ctx.tx, deps, {
            communityId: ctx.communityId,
            actor,
            ...(household ? { householdId: household.id } : {}),
            kind: draft.kind,
            category: draft.category,
            description: draft.description,
            place: draft.place,
            photos: draft.photos,
            anonymous: draft.anonymous,
            publishText: draft.publishText,
            filerAnsweredInChat: true,
            at: clockOf(deps),
          });
          const w = await words(ctx);
          return {
            status: 'filed',
            number: filed.number,
            expect: w.expectedAnswer(filed.firstResponse.duration, filed.firstResponse.businessHours, filed.due.firstResponseDue),
            onBehalf: filed.onBehalf ? 'yes' : 'no',
          };
        } catch (error) {
          if (error instanceof PolicyDeniedError) return { status: 'denied' };
          if (error instanceof TicketFilingError) return { status: 'invalid', problem: error.problem };
          throw error;
        }
      },
    ],
    [
      'tickets_my_list',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'none', count: 0, total: 0, items: [] };
        const settings = await loadTicketSettings(ctx.tx, ctx.communityId);
        const w = new TicketWords(deps.translator, ctx.locale, settings.timezone);
        const { items, total } = await listMyTickets(ctx.tx, actor, { limit: MY_TICKETS_LISTED, now: clockOf(deps) });
        return {
          status: items.length > 0 ? 'ok' : 'none',
          count: items.length,
          total,
          items: items.map((item) => ({
            value: item.id,
            label: w.t('tickets.list.item', {
              number: item.number,
              category: w.category(settings.categories, item.category),
              status: w.status(item.status),
              date: w.date(item.createdAt),
            }),
          })),
        };
      }),
    ],
    [
      'tickets_view',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        const now = clockOf(deps);
        const ticketId = await ticketIdFrom(ctx, args, now);
        const view = actor && ticketId ? await viewMyTicket(ctx.tx, actor, ticketId, { now }) : null;
        if (!view) return { status: 'not_found', id: '', number: '', text: '' };
        const settings = await loadTicketSettings(ctx.tx, ctx.communityId);
        const w = new TicketWords(deps.translator, ctx.locale, settings.timezone);
        return {
          status: view.standing,
          id: view.id,
          number: view.number,
          text: renderView(w, settings.categories, view),
          mine: view.mine ? 'yes' : 'no',
          rateable: view.rateable ? 'yes' : 'no',
          mergedInto: view.mergedIntoNumber ?? '',
        };
      }),
    ],
    [
      'tickets_add',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const photo = text(args.photo);
        const outcome = await addToMyTicket(ctx.tx, deps, {
          actor,
          ticketId: text(args.ticket),
          text: text(args.text) || null,
          photos: photo ? [photo] : [],
          at: clockOf(deps),
        });
        return { status: outcome.status, number: 'number' in outcome ? outcome.number : '', mergedInto: 'mergedIntoNumber' in outcome ? (outcome.mergedIntoNumber ?? '') : '' };
      },
    ],
    [
      'tickets_withdraw',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const outcome = await withdrawMyTicket(ctx.tx, deps, { actor, ticketId: text(args.ticket), at: clockOf(deps) });
        return { status: outcome.status, number: 'number' in outcome ? outcome.number : '' };
      },
    ],
    [
      'tickets_rating_target',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const now = clockOf(deps);
        const typed = text(args.number) !== '' || text(args.ticket) !== '';
        const ticketId = typed ? await ticketIdFrom(ctx, args, now) : null;
        if (typed && !ticketId) return { status: 'not_found' };
        const target = await ratingTarget(ctx.tx, actor, { ticketId, now });
        if (target.status === 'ok') return { status: 'ok', ticket: target.ticketId, number: target.number, resolution: target.resolution };
        if (target.status === 'pick') {
          const settings = await loadTicketSettings(ctx.tx, ctx.communityId);
          const w = new TicketWords(deps.translator, ctx.locale, settings.timezone);
          return {
            status: 'pick',
            items: target.items.map((item) => ({ value: item.id, label: w.t('tickets.rating.item', { number: item.number, category: w.category(settings.categories, item.category) }) })),
          };
        }
        return { status: target.status };
      }),
    ],
    [
      'tickets_rate',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const stars = Number(text(args.stars));
        if (!Number.isInteger(stars) || stars < RATING_MIN || stars > RATING_MAX) return { status: 'invalid' };
        const solved = text(args.solved);
        const outcome = await rateMyTicket(ctx.tx, deps, {
          actor,
          ticketId: text(args.ticket),
          resolution: Number(text(args.resolution)),
          stars,
          solved: solved === 'yes' ? true : solved === 'no' ? false : null,
          comment: text(args.comment) || null,
          at: clockOf(deps),
        });
        return { status: outcome.status, number: 'number' in outcome ? outcome.number : '' };
      },
    ],
  ]);
}

/** What the complaint flow collected, read defensively (the values come from the run's data). */
interface Draft {
  kind: TicketKind;
  category: string;
  description: string;
  place: { text: string | null; latitude: number | null; longitude: number | null } | null;
  photos: string[];
  anonymous: boolean;
  /** Agreed to the words appearing in the open data feed (never for an anonymous report). */
  publishText: boolean;
  householdCode: string | null;
}

function readDraft(args: Record<string, Json>): Draft {
  const kind = text(args.kind);
  const where = text(args.where);
  const place = args.place;
  let other: Draft['place'] = null;
  // "Another place" counts only when chosen (or when there is no home to default to).
  if (where !== 'home' && place !== null && typeof place === 'object' && !Array.isArray(place)) {
    const typed = typeof place.address === 'string' ? place.address : typeof place.label === 'string' ? place.label : null;
    const latitude = typeof place.latitude === 'number' ? place.latitude : null;
    const longitude = typeof place.longitude === 'number' ? place.longitude : null;
    if (typed !== null || (latitude !== null && longitude !== null)) other = { text: typed, latitude, longitude };
  }
  const household = text(args.household);
  return {
    kind: (MAILBOX_KINDS as readonly string[]).includes(kind) ? (kind as TicketKind) : 'complaint',
    category: text(args.category),
    description: text(args.description),
    place: other,
    photos: photoList(args.photos).slice(0, TICKET_LIMITS.photosMax),
    anonymous: text(args.anonymous) === 'yes',
    publishText: text(args.publish) === 'yes' && text(args.anonymous) !== 'yes',
    householdCode: text(args.for) === 'household' && household !== '' ? household : null,
  };
}

function renderView(w: TicketWords, categories: Parameters<TicketWords['category']>[0], view: MyTicketView): string {
  const lines = [
    w.t('tickets.view.header', { number: view.number, kind: w.kind(view.kind), category: w.category(categories, view.category) }),
    w.t('tickets.view.status', { status: w.status(view.status), date: w.dateTime(view.createdAt) }),
  ];
  if (view.placeText) lines.push(w.t('tickets.view.place', { place: view.placeText }));
  lines.push('');
  for (const event of view.events) lines.push(w.t('tickets.view.event', { at: w.dateTime(event.at), who: whoWord(w, event), what: eventWords(w, event) }));
  const footer = FOOTER_KEYS[view.standing];
  if (footer) lines.push('', w.t(footer, { mergedInto: view.mergedIntoNumber ?? '' }));
  return lines.join('\n');
}

const FOOTER_KEYS: Record<MyTicketView['standing'], string | null> = {
  open: null,
  resolved: 'tickets.view.footer_resolved',
  closed: 'tickets.view.footer_closed',
  withdrawn: 'tickets.view.footer_withdrawn',
  merged: 'tickets.view.footer_merged',
};

function whoWord(w: TicketWords, event: MyTicketEvent): string {
  if (event.by === 'you') return w.t('tickets.by.you');
  if (event.by === 'community') return w.t('tickets.by.community');
  return w.t(roleWordKey(event.by));
}

function eventWords(w: TicketWords, event: MyTicketEvent): string {
  const said = event.text ? shorten(event.text) : '';
  const photos = event.photos > 0 ? w.t('tickets.event.photos', { count: event.photos }) : '';
  switch (event.kind) {
    case 'filed':
      return w.t('tickets.event.filed', { text: said, photos });
    case 'resident_message':
    case 'staff_reply':
      return w.t('tickets.event.message', { text: said, photos });
    case 'resolved':
      return w.t('tickets.event.resolved', { text: said });
    case 'reopened':
      return w.t('tickets.event.reopened', { text: said });
    case 'merged':
      return w.t('tickets.event.merged');
    case 'withdrawn':
      return w.t('tickets.event.withdrawn');
    case 'rated':
      return w.t('tickets.event.rated', { stars: event.stars ?? '', text: said });
    default:
      return w.t('tickets.event.closed');
  }
}

function shorten(value: string): string {
  const chars = [...value];
  return chars.length > EVENT_TEXT_SHOWN ? `${chars.slice(0, EVENT_TEXT_SHOWN).join('')}…` : value;
}

async function personOf(ctx: EffectContext): Promise<(Actor & { kind: 'person' }) | null> {
  const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
  return actor && actor.kind === 'person' ? actor : null;
}

async function householdByCode(ctx: EffectContext, code: string) {
  const trimmed = code.trim();
  if (trimmed === '' || trimmed.length > 40) return null;
  return ctx.tx.household.findFirst({
    where: { communityId: ctx.communityId, code: { equals: trimmed, mode: 'insensitive' } },
    select: { id: true, areaId: true, groupId: true, address: true },
  });
}

/** The ticket a flow names: a picked id (`ticket`), else a typed number (`number`). */
async function ticketIdFrom(ctx: EffectContext, args: Record<string, Json>, now: Date): Promise<string | null> {
  const picked = text(args.ticket);
  if (picked !== '') return picked;
  const typed = text(args.number);
  if (typed === '') return null;
  return (await findTicketByNumber(ctx.tx, ctx.communityId, typed, now))?.id ?? null;
}

function photoList(value: Json | undefined): string[] {
  const list = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.list : value;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

/** The flows refuse these in groups already; an effect reached there anyway is a bug, not a filing. */
function privateOnly(ctx: EffectContext): void {
  if (ctx.chat === 'group') throw new Error('ticket effects that change tickets run only in private chats');
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
