/**
 * The effects the service team's flows call (flows/job_accept.yaml, job_decline.yaml, jobs.yaml):
 * answering an offer, the member's day, on the way, done with the service record, away and back.
 * Each returns a `status` for the flow to branch on and, where a prompt shows something, the
 * text already in the person's language. Reading effects are `ReadOnlyEffect`s: their results
 * hold addresses and are never stored beyond the run.
 */
import type { EffectContext, EffectEntry, EffectHandler } from '../../../../conversation/effects.js';
import type { Json } from '../../../../conversation/engine-types.js';
import { MAX_CHOICES } from '../../../../conversation/flow-schema.js';
import type { Actor } from '../../../policy/actor.js';
import { loadActor } from '../../../policy/load-actor.js';
import { findTicketByNumber } from '../../../tickets/service/find-ticket.js';
import { clockOf, type DispatchDeps } from '../service/dispatch-deps.js';
import { jobDetails, jobLine } from '../service/job-words.js';
import { memberDay, memberMove, SERVICE_RECORD_LIMITS, setAway, type MemberMoveOutcome } from '../service/member-day.js';
import { answerOffer } from '../service/offer-engine.js';

type Person = Extract<Actor, { kind: 'person' }>;

/**
 * Jobs listed in the day (flows/jobs.yaml `pick`, `pick_away`): a question offers at most
 * MAX_CHOICES, and the day adds two of its own (away or back, the menu). A longer list would
 * fail the turn — an accept with it.
 */
export const JOBS_LISTED = MAX_CHOICES - 2;

export function dispatchEffects(deps: DispatchDeps): Map<string, EffectEntry> {
  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });
  const t = (ctx: EffectContext, key: string, vars?: Record<string, string | number>) => deps.translator.t(ctx.locale, key, vars);

  return new Map<string, EffectEntry>([
    [
      'dispatch_answer',
      async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_offered', number: '' };
        const workOrderId = await offeredJob(ctx, actor, text(args.number), clockOf(deps));
        if (!workOrderId) return { status: 'not_offered', number: text(args.number) };
        const answer = text(args.answer) === 'decline' ? 'decline' : 'accept';
        const outcome = await answerOffer(ctx.tx, deps, { actor, workOrderId, answer });
        return { status: outcome.status, number: outcome.number };
      },
    ],
    [
      'dispatch_my_jobs',
      readOnly(async (ctx): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor || !actor.roles.some((role) => role.role === 'service_team')) return { status: 'not_member', text: '', items: [], away: 'no' };
        const day = await memberDay(ctx.tx, actor.residentId, ctx.communityId, clockOf(deps));
        // The jobs to do first, as many as one question can offer; the rest are said in a number.
        const listed = day.jobs.slice(0, JOBS_LISTED);
        const lines = listed.map((job) => `· ${jobLine(deps.translator, ctx.locale, job)}${job.status === 'on_the_way' ? t(ctx, 'dispatch.day.going_mark') : ''}`);
        if (day.jobs.length > listed.length) lines.push(t(ctx, 'dispatch.day.more', { count: day.jobs.length - listed.length }));
        const summary = t(ctx, day.away ? 'dispatch.day.summary_away' : 'dispatch.day.summary', { count: day.jobs.length, done: day.doneToday });
        return {
          status: day.jobs.length > 0 ? 'ok' : 'none',
          text: [summary, ...lines].join('\n'),
          items: listed.map((job) => ({ value: job.id, label: job.number })),
          away: day.away ? 'yes' : 'no',
        };
      }),
    ],
    [
      'dispatch_job_view',
      readOnly(async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        const day = actor ? await memberDay(ctx.tx, actor.residentId, ctx.communityId, clockOf(deps)) : null;
        const job = day?.jobs.find((j) => j.id === text(args.job));
        if (!job) return { status: 'not_found', text: '', number: '' };
        return { status: job.status, text: jobDetails(deps.translator, ctx.locale, job), number: job.number };
      }),
    ],
    [
      'dispatch_on_the_way',
      async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found', number: '' };
        return moveResult(await memberMove(ctx.tx, deps, { actor, workOrderId: text(args.job), move: 'on_the_way' }));
      },
    ],
    [
      'dispatch_give_back',
      async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found', number: '' };
        return moveResult(await memberMove(ctx.tx, deps, { actor, workOrderId: text(args.job), move: 'release' }));
      },
    ],
    [
      'dispatch_report_done',
      async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_found', number: '' };
        const workDone = text(args.work).trim();
        const materials = text(args.materials).trim();
        const materialsCostCents = cents(args.cost);
        const feeCents = cents(args.fee);
        if (workDone === '' || [...workDone].length > SERVICE_RECORD_LIMITS.workDoneMax || [...materials].length > SERVICE_RECORD_LIMITS.materialsMax || materialsCostCents === null || feeCents === null) {
          return { status: 'invalid', number: '' };
        }
        const photo = text(args.photo);
        return moveResult(
          await memberMove(ctx.tx, deps, {
            actor,
            workOrderId: text(args.job),
            move: 'done',
            record: { workDone, materials, materialsCostCents, feeCents, afterPhoto: photo === '' ? null : photo },
          }),
        );
      },
    ],
    [
      'dispatch_set_away',
      async (ctx, args): Promise<Json> => {
        const actor = await personOf(ctx);
        if (!actor) return { status: 'not_member' };
        const result = await setAway(ctx.tx, deps, actor, text(args.away) === 'yes');
        return { status: typeof result === 'string' ? result : 'not_member' };
      },
    ],
  ]);
}

async function personOf(ctx: EffectContext): Promise<Person | null> {
  const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
  return actor?.kind === 'person' ? actor : null;
}

/** The job a typed number names, or — none typed — the member's newest open offer. */
async function offeredJob(ctx: EffectContext, actor: Person, typed: string, now: Date): Promise<string | null> {
  if (typed.trim() === '') {
    const offer = await ctx.tx.dispatchOffer.findFirst({ where: { memberId: actor.residentId, status: 'open' }, orderBy: { offeredAt: 'desc' }, select: { workOrderId: true } });
    return offer?.workOrderId ?? null;
  }
  const ticket = await findTicketByNumber(ctx.tx, ctx.communityId, typed, now);
  if (!ticket) return null;
  const order = await ctx.tx.workOrder.findUnique({ where: { ticketId: ticket.id }, select: { id: true } });
  return order?.id ?? null;
}

function moveResult(outcome: MemberMoveOutcome): Json {
  return { status: outcome.status, number: 'number' in outcome ? outcome.number : '' };
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Yuan as typed (a number step: 12.5) in fen; null for a negative or absurd amount. Not given: 0. */
function cents(value: Json | undefined): number | null {
  if (value === null || value === undefined || value === '') return 0;
  const yuan = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(yuan) || yuan < 0) return null;
  const amount = Math.round(yuan * 100);
  return amount > SERVICE_RECORD_LIMITS.centsMax ? null : amount;
}
