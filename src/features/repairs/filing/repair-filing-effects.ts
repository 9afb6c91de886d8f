/**
 * The effects of the repair request flow (flows/repair.yaml; names and arguments declared in
 * ../module.ts): what to offer (home windows, whether there is a home), the emergency numbers for
 * a danger, the summary, and the filing itself — for one's own household, or on behalf of another
 * by its code (who may is the ticket service's policy check; the flow offers it to those who may
 * file on someone's behalf at all, as `tickets_filing_start` says). Effects that only read are `ReadOnlyEffect`s.
 */
import type { EffectContext, EffectEntry, EffectHandler } from '../../../conversation/effects.js';
import type { Json } from '../../../conversation/engine-types.js';
import type { Actor } from '../../policy/actor.js';
import { loadActor } from '../../policy/load-actor.js';
import { PolicyDeniedError } from '../../policy/policy.js';
import { clockOf, loadTicketSettings, TicketFilingError, type TicketServiceDeps } from '../../tickets/service/index.js';
import { loadRepairSettings } from '../repair-settings-store.js';
import { RepairWords } from '../repair-words.js';
import { homeWindowChoices, homeWindowValue, readHomeWindow, type HomeWindow } from '../rules/home-windows.js';
import { fileRepair } from './file-repair.js';
import { readRepairDraft, type RepairDraft } from './repair-draft.js';

/** The value of "someone is always home". */
const ANY_TIME = 'any';

export function repairFilingEffects(deps: TicketServiceDeps): Map<string, EffectEntry> {
  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });
  const wordsFor = async (ctx: EffectContext) => new RepairWords(deps.translator, ctx.locale, (await loadTicketSettings(ctx.tx, ctx.communityId)).timezone);

  return new Map<string, EffectEntry>([
    [
      'repairs_start',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'visitor', hasHome: 'no', windows: [] };
        // One after the other: a transaction is one connection, which runs one statement at a time.
        const settings = await loadRepairSettings(ctx.tx, ctx.communityId);
        const ticketSettings = await loadTicketSettings(ctx.tx, ctx.communityId);
        const w = new RepairWords(deps.translator, ctx.locale, ticketSettings.timezone);
        const windows = homeWindowChoices(clockOf(deps), ticketSettings.timezone, settings.homeSlots, settings.homeDays);
        return {
          status: 'ok',
          hasHome: actor.householdId ? 'yes' : 'no',
          windows: windows.map((window) => ({ value: homeWindowValue(window), label: w.offeredWindow(window) })),
        };
      }),
    ],
    [
      'repairs_emergency',
      readOnly(async (ctx, args): Promise<Json> => {
        const w = await wordsFor(ctx);
        const settings = await loadRepairSettings(ctx.tx, ctx.communityId);
        return { text: w.emergencyLines(settings.emergencyNumbers, readRepairDraft(args).danger) };
      }),
    ],
    [
      'repairs_summary',
      readOnly(async (ctx, args): Promise<Json> => {
        const w = await wordsFor(ctx);
        const draft = readRepairDraft(args);
        const actor = await personOf(ctx);
        const forHousehold = draft.householdCode ? await householdByCode(ctx, draft.householdCode) : null;
        const homeId = forHousehold?.id ?? actor?.householdId;
        const home = homeId ? await ctx.tx.household.findUnique({ where: { id: homeId }, select: { area: { select: { path: true } } } }) : null;
        const window = windowOf(draft, clockOf(deps));
        const lines = [
          ...(forHousehold ? [w.t('repairs.draft.on_behalf', { address: forHousehold.address })] : []),
          w.t('repairs.draft.kind', { kind: w.job(draft.job) }),
          w.t('repairs.draft.description', { description: draft.description }),
          draft.place ? w.t('repairs.draft.place_other', { place: draft.place.text ?? w.t('tickets.draft.pin') }) : w.t('repairs.draft.place_home', { area: home?.area.path ?? '' }),
          draft.photos.length > 0 ? w.t('tickets.draft.photos', { count: draft.photos.length }) : w.t('tickets.draft.no_photos'),
          window ? w.t('repairs.draft.when', { window: w.window(window) }) : w.t('repairs.draft.when_any'),
        ];
        return { text: lines.join('\n') };
      }),
    ],
    [
      'repairs_file',
      async (ctx, args): Promise<Json> => {
        if (ctx.chat === 'group') throw new Error('repairs are filed only in private chats');
        const actor = await personOf(ctx);
        if (!actor) return { status: 'denied' };
        const draft = readRepairDraft(args);
        const household = draft.householdCode ? await householdByCode(ctx, draft.householdCode) : undefined;
        if (household === null) return { status: 'denied' };
        const now = clockOf(deps);
        const window = windowOf(draft, now);
        // A window picked earlier that has ended meanwhile: asked again, never quietly dropped.
        if (!draft.danger && window === null && draft.when !== '' && draft.when !== ANY_TIME) return { status: 'window_passed' };
        try {
          const filed = await fileRepair(ctx.tx, deps, {
            communityId: ctx.communityId,
            actor,
            ...(household ? { householdId: household.id } : {}),
            job: draft.job,
            danger: draft.danger,
            description: draft.description,
            photos: draft.photos,
            place: draft.place,
            homeWindows: window ? [window] : [],
            at: now,
          });
          const w = await wordsFor(ctx);
          return {
            status: 'filed',
            number: filed.number,
            expect: w.dateTime(filed.expectedBy),
            emergency: filed.emergency ? 'yes' : 'no',
            // Nobody could be offered it at once: staff arrange it by hand (the reply says so).
            dispatch: filed.status === 'unassigned' ? 'unassigned' : 'arranging',
          };
        } catch (error) {
          if (error instanceof PolicyDeniedError) return { status: 'denied' };
          if (error instanceof TicketFilingError) return { status: 'invalid', problem: error.problem };
          throw error;
        }
      },
    ],
  ]);
}

function windowOf(draft: RepairDraft, now: Date): HomeWindow | null {
  return draft.when === '' || draft.when === ANY_TIME ? null : readHomeWindow(draft.when, now);
}

/** The household with that code in the community (the ticket service decides whether one may file for it). */
async function householdByCode(ctx: EffectContext, code: string) {
  const trimmed = code.trim();
  if (trimmed === '' || trimmed.length > 40) return null;
  return ctx.tx.household.findFirst({ where: { communityId: ctx.communityId, code: { equals: trimmed, mode: 'insensitive' } }, select: { id: true, address: true } });
}

async function personOf(ctx: EffectContext): Promise<(Actor & { kind: 'person' }) | null> {
  const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
  return actor && actor.kind === 'person' ? actor : null;
}
