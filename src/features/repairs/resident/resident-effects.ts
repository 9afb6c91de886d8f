/**
 * The effects of the resident's repair flows (names and arguments declared in ../module.ts):
 * "my repairs" (flows/my_repairs.yaml) and the answers once the work is done — fixed
 * (flows/repair_confirm.yaml, which then takes the ticket's rating through `tickets_rate`) or not
 * fixed (flows/repair_not_fixed.yaml). Each returns a `status` for the flow to branch on and any
 * text already in the person's language.
 */
import type { EffectContext, EffectEntry, EffectHandler } from '../../../conversation/effects.js';
import type { Json } from '../../../conversation/engine-types.js';
import type { Actor } from '../../policy/actor.js';
import { loadActor } from '../../policy/load-actor.js';
import { clockOf, loadTicketSettings, type TicketServiceDeps } from '../../tickets/service/index.js';
import { RepairWords } from '../repair-words.js';
import { workerSurname } from '../rules/resident-notices.js';
import { confirmRepair, doneRepairTarget, listMyRepairs, myRepair, sendRepairBack, type MyRepair } from './resident-repairs.js';

/** Repairs "my repairs" lists at once (the rest are found by number). */
export const MY_REPAIRS_LISTED = 10;

export function residentRepairEffects(deps: TicketServiceDeps): Map<string, EffectEntry> {
  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });
  const wordsFor = async (ctx: EffectContext) => new RepairWords(deps.translator, ctx.locale, (await loadTicketSettings(ctx.tx, ctx.communityId)).timezone);

  return new Map<string, EffectEntry>([
    [
      'repairs_my_list',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'none', count: 0, total: 0, items: [] };
        const w = await wordsFor(ctx);
        const { items, total } = await listMyRepairs(ctx.tx, actor, MY_REPAIRS_LISTED);
        return {
          status: items.length > 0 ? 'ok' : 'none',
          count: items.length,
          total,
          items: items.map((item) => ({
            value: item.id,
            label: w.t('repairs.list.item', { number: item.number, kind: w.job(item.workOrder!.job), status: w.workStatus(item.workOrder!.status), date: w.date(item.createdAt) }),
          })),
        };
      }),
    ],
    [
      'repairs_view',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        const repair = actor ? await myRepair(ctx.tx, actor, { ticketId: text(args.ticket), number: text(args.number) }, clockOf(deps)) : null;
        if (!actor || !repair) return { status: 'not_found', id: '', number: '', text: '' };
        const w = await wordsFor(ctx);
        const status = repair.workOrder.status;
        const standing = status === 'done' ? 'done' : status === 'confirmed' || status === 'cancelled' ? 'finished' : 'open';
        const mine = repair.reporterId === actor.residentId || repair.filedById === actor.residentId;
        return { status: standing, id: repair.id, number: repair.number, text: renderRepair(w, repair), mine: mine ? 'yes' : 'no' };
      }),
    ],
    [
      'repairs_answer_target',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found', number: '' };
        const target = await doneRepairTarget(ctx.tx, actor, text(args.number), clockOf(deps));
        if (target.status === 'none' || target.status === 'not_found') return { status: target.status, number: '' };
        const w = await wordsFor(ctx);
        return { status: target.status, number: target.repair.number, workStatus: w.workStatus(target.repair.workOrder.status), worker: workerOf(w, target.repair) };
      }),
    ],
    [
      'repairs_confirm',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const outcome = await confirmRepair(ctx.tx, deps, { actor, number: text(args.number), at: clockOf(deps) });
        if (outcome.status === 'confirmed') {
          return { status: outcome.resolution === null ? 'confirmed_unrated' : 'confirmed', number: outcome.number, ticket: outcome.ticketId, resolution: outcome.resolution ?? 0 };
        }
        if (outcome.status === 'not_done') return { status: 'not_done', number: outcome.number, workStatus: (await wordsFor(ctx)).workStatus(outcome.workStatus) };
        return { status: outcome.status, number: 'number' in outcome ? outcome.number : '' };
      },
    ],
    [
      'repairs_not_fixed',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found' };
        const outcome = await sendRepairBack(ctx.tx, deps, { actor, number: text(args.number), text: text(args.text), at: clockOf(deps) });
        const w = await wordsFor(ctx);
        if (outcome.status === 'sent_back') {
          return { status: 'sent_back', number: outcome.number, worker: outcome.worker ? w.t('repairs.worker', { surname: workerSurname(outcome.worker) }) : w.t('repairs.worker_unnamed') };
        }
        if (outcome.status === 'not_done') return { status: 'not_done', number: outcome.number, workStatus: w.workStatus(outcome.workStatus) };
        return { status: outcome.status, number: 'number' in outcome ? outcome.number : '' };
      },
    ],
  ]);
}

/** One repair's progress, line by line, as the resident may see it. */
function renderRepair(w: RepairWords, repair: MyRepair): string {
  const order = repair.workOrder;
  const lines = [
    w.t(order.emergency ? 'repairs.view.header_emergency' : 'repairs.view.header', { number: repair.number, kind: w.job(order.job) }),
    w.t('repairs.view.status', { status: w.workStatus(order.status) }),
    w.t('repairs.view.filed', { at: w.dateTime(repair.createdAt) }),
  ];
  const open = !['done', 'confirmed', 'cancelled'].includes(order.status);
  if (open && order.expectedBy) lines.push(w.t('repairs.view.expected', { at: w.dateTime(order.expectedBy) }));
  if (order.acceptedAt && order.member) lines.push(w.t('repairs.view.accepted', { worker: workerOf(w, repair), at: w.dateTime(order.acceptedAt) }));
  if (order.onTheWayAt) lines.push(w.t('repairs.view.on_the_way', { at: w.dateTime(order.onTheWayAt) }));
  if (order.doneAt) lines.push(w.t('repairs.view.done', { at: w.dateTime(order.doneAt), work: order.workDone?.trim() || w.t('repairs.notice.work_unsaid') }));
  if (order.returns > 0) lines.push(w.t('repairs.view.returns', { count: order.returns }));
  if (order.confirmedAt) lines.push(w.t('repairs.view.confirmed', { at: w.dateTime(order.confirmedAt) }));
  if (order.cancelledAt) lines.push(w.t('repairs.view.cancelled', { at: w.dateTime(order.cancelledAt) }));
  if (order.status === 'done') lines.push('', w.t('repairs.view.footer_done', { number: repair.number }));
  return lines.join('\n');
}

function workerOf(w: RepairWords, repair: MyRepair): string {
  const name = repair.workOrder.member?.name;
  return name ? w.t('repairs.worker', { surname: workerSurname(name) }) : w.t('repairs.worker_unnamed');
}

async function personOf(ctx: EffectContext): Promise<(Actor & { kind: 'person' }) | null> {
  const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
  return actor && actor.kind === 'person' ? actor : null;
}

/** The flows refuse these in groups already; an effect reached there anyway is a bug. */
function privateOnly(ctx: EffectContext): void {
  if (ctx.chat === 'group') throw new Error('repair answers are taken only in private chats');
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
