/**
 * The figures page's numbers (民情数据): for "this week" or "this month" (figure-periods.ts), the
 * tickets of the viewer's scope counted as the staff digest counts them — the same facts
 * (`loadTicketFacts`) and the same definitions (`digest`):
 *
 * - new: filed in the period; resolved: the latest resolution sent in it;
 * - open and overdue: a snapshot at the period's end (for the current period: now);
 * - median first response: over the tickets first answered in the period, the minutes from the
 *   start of the round (filing, or the latest reopening before the answer) to that answer; null
 *   when none was answered (nothing to take a middle of: shown as "—", never 0);
 * - satisfaction: the ratings given in the period (the newest per ticket), their average stars and
 *   the share with ≥ 4 stars (三率's 满意率); null with no ratings.
 *
 * The same again by top-level area (zone) and by category, the previous period's totals beside
 * them, and new and resolved per local day.
 *
 * Who sees what (`digest.view`): committee members and admins the whole community; a steward or
 * council member the subtrees of their areas, so a ticket with no area is counted only for the
 * whole community. A refusal is audited and returned, not thrown, so the caller commits the row.
 */
import type { Tx } from '../../db/prisma-types.js';
import { areaAncestry, areaSubtree } from '../../features/policy/area-ancestry.js';
import { checkAudited } from '../../features/policy/audited-check.js';
import type { DenialReason } from '../../features/policy/denials.js';
import { ticketViewScope } from '../../features/policy/ticket-scope.js';
import { areaAtDepth } from '../../features/tickets/rules/area-path.js';
import type { TicketCategory } from '../../features/tickets/rules/categories.js';
import { digest } from '../../features/tickets/rules/digest.js';
import { isSatisfied } from '../../features/tickets/rules/satisfaction.js';
import { inPeriod, type Period, type TicketFact } from '../../features/tickets/rules/ticket-facts.js';
import { loadCommunityTicketContext } from '../../features/tickets/scheduling/community-ticket-settings.js';
import { loadTicketFacts } from '../../features/tickets/scheduling/digest-facts.js';
import type { PersonActor } from '../shell/viewer.js';
import { daysOf, figurePeriods, type FigurePeriodKind } from './figure-periods.js';

export interface SatisfactionFigure {
  /** Ratings given in the period (one per ticket, the newest). */
  ratings: number;
  /** Of them, with ≥ 4 stars. */
  satisfied: number;
  /** satisfied / ratings, 0–1; null with no ratings. */
  share: number | null;
  /** Mean stars, 1–5; null with no ratings. */
  averageStars: number | null;
}

export interface FigureSet {
  new: number;
  /** At the period's end. */
  open: number;
  /** Open at the period's end with a deadline reached unmet. */
  overdue: number;
  resolved: number;
  /** Tickets first answered in the period (what the median is taken over). */
  firstResponses: number;
  /** Minutes; null when nothing was answered in the period. */
  medianFirstResponseMinutes: number | null;
  satisfaction: SatisfactionFigure;
}

export interface FigureGroup extends FigureSet {
  /** The zone's path ("" = no area), or the category code. */
  key: string;
}

export interface DayFigure {
  /** `YYYY-MM-DD` in the community's time zone. */
  date: string;
  new: number;
  resolved: number;
}

export type FiguresScope = { kind: 'community' } | { kind: 'areas'; areaPaths: string[] };

export interface Figures {
  period: FigurePeriodKind;
  current: Period;
  previous: Period;
  timezone: string;
  scope: FiguresScope;
  totals: FigureSet;
  previousTotals: FigureSet;
  /** Sorted by new, then open (both descending), then key — as the digest sorts. */
  byArea: FigureGroup[];
  byCategory: FigureGroup[];
  daily: DayFigure[];
  /** The community's categories, to name `byCategory` keys. */
  categories: readonly TicketCategory[];
}

export type FiguresResult = { ok: true; figures: Figures } | { ok: false; reason: DenialReason };

export interface LoadFiguresInput {
  communityId: string;
  actor: PersonActor;
  period: FigurePeriodKind;
  /** The moment the page is read: the current period ends here. */
  endingAt: Date;
  timezone: string;
}

/** The figures the actor may see (see the file's comment). */
/** A client or a transaction: a refusal's audit row is written through it. */
export async function loadFigures(db: Tx, input: LoadFiguresInput): Promise<FiguresResult> {
  const { communityId, endingAt, timezone } = input;
  const scope = await permittedScope(db, input);
  if (!scope.ok) return scope;

  const periods = figurePeriods(input.period, endingAt, timezone);
  const span: Period = { from: periods.previous.from, to: periods.current.to };
  const areaIds = scope.roots === null ? undefined : await areaSubtree(db, scope.roots);
  const facts = await loadTicketFacts(db, communityId, span, areaIds ? { areaIds } : {});
  const roundStarts = await roundStartsOf(db, facts, span);
  const figuresOf = (subset: readonly TicketFact[], period: Period) => figureSet(subset, period, roundStarts);

  const current = periods.current;
  const context = await loadCommunityTicketContext(db, communityId);
  const areaPaths = scope.roots === null ? [] : await pathsOf(db, scope.roots);
  return {
    ok: true,
    figures: {
      period: input.period,
      current,
      previous: periods.previous,
      timezone,
      scope: scope.roots === null ? { kind: 'community' } : { kind: 'areas', areaPaths },
      totals: figuresOf(facts, current),
      previousTotals: figuresOf(facts, periods.previous),
      byArea: groups(facts, (f) => areaAtDepth(f.areaPath, 1), (subset) => figuresOf(subset, current)),
      byCategory: groups(facts, (f) => f.category, (subset) => figuresOf(subset, current)),
      daily: daysOf(current, timezone).map((day) => ({
        date: day.date,
        new: facts.filter((f) => inPeriod(f.createdAt, day.span)).length,
        resolved: facts.filter((f) => inPeriod(f.resolvedAt, day.span)).length,
      })),
      categories: context.settings.categories,
    },
  };
}

/** The middle value: the mean of the two middle ones for an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// ───────────────────────────────────────────────────────────────────────────── internals

/** `roots` null = the whole community; else the areas whose subtrees the actor sees. */
type PermittedScope = { ok: true; roots: string[] | null } | { ok: false; reason: DenialReason };

/**
 * Checks `digest.view` for what the actor's roles cover: the community for committee and admins,
 * each of their areas for stewards and councils (the same roots `ticket.view` lists by). Anyone
 * else is checked against the whole community, which the policy refuses (and audits).
 */
async function permittedScope(db: Tx, input: LoadFiguresInput): Promise<PermittedScope> {
  const { communityId, actor, endingAt: now } = input;
  const ticketScope = ticketViewScope(actor, { now });
  const roots = ticketScope.kind === 'some' ? ticketScope.areaIds : [];
  const check = async (areaIds: string[], target: { type: string; id: string }) =>
    checkAudited(db, { communityId, actor, action: 'digest.view', subject: { communityId, areaIds }, target, now });

  if (ticketScope.kind === 'all' || roots.length === 0) {
    const decision = await check([], { type: 'community', id: communityId });
    return decision.allowed ? { ok: true, roots: null } : { ok: false, reason: decision.reason };
  }
  for (const root of roots) {
    const decision = await check(await areaAncestry(db, root), { type: 'area', id: root });
    if (!decision.allowed) return { ok: false, reason: decision.reason };
  }
  return { ok: true, roots };
}

async function pathsOf(db: Tx, areaIds: readonly string[]): Promise<string[]> {
  const rows = await db.area.findMany({ where: { id: { in: [...areaIds] } }, select: { path: true } });
  return rows.map((r) => r.path).sort((a, b) => a.localeCompare(b));
}

/**
 * When the round answered by each ticket's first response began: the latest reopening (by staff,
 * or by the resident writing after the resolution) at or before the answer. Only tickets answered
 * in `span` and reopened at some time are looked up; the rest started at filing.
 */
async function roundStartsOf(db: Tx, facts: readonly TicketFact[], span: Period): Promise<Map<string, Date>> {
  const answered = facts.filter((f) => inPeriod(f.firstRespondedAt, span));
  if (answered.length === 0) return new Map();
  const reopened = await db.ticket.findMany({ where: { id: { in: answered.map((f) => f.id) }, reopenCount: { gt: 0 } }, select: { id: true } });
  if (reopened.length === 0) return new Map();
  const events = await db.ticketEvent.findMany({
    where: { ticketId: { in: reopened.map((t) => t.id) }, kind: { in: ['reopened', 'resident_message'] } },
    select: { ticketId: true, kind: true, details: true, createdAt: true },
  });
  const answeredAt = new Map(answered.map((f) => [f.id, f.firstRespondedAt!.getTime()]));
  const starts = new Map<string, Date>();
  for (const e of events) {
    const reopening = e.kind === 'reopened' || (isRecord(e.details) && e.details['reopened'] === true);
    if (!reopening || e.createdAt.getTime() > answeredAt.get(e.ticketId)!) continue;
    const seen = starts.get(e.ticketId);
    if (!seen || seen.getTime() < e.createdAt.getTime()) starts.set(e.ticketId, e.createdAt);
  }
  return starts;
}

function figureSet(facts: readonly TicketFact[], period: Period, roundStarts: ReadonlyMap<string, Date>): FigureSet {
  const { counts } = digest(facts, period);
  const answered = facts.filter((f) => inPeriod(f.firstRespondedAt, period));
  const minutes = answered.map((f) => (f.firstRespondedAt!.getTime() - (roundStarts.get(f.id) ?? f.createdAt).getTime()) / 60_000);
  const rated = facts.filter((f) => f.rating !== null && inPeriod(f.rating.ratedAt, period)).map((f) => f.rating!.stars);
  const satisfied = rated.filter(isSatisfied).length;
  return {
    new: counts.new,
    open: counts.open,
    overdue: counts.overdue,
    resolved: counts.resolved,
    firstResponses: answered.length,
    medianFirstResponseMinutes: median(minutes),
    satisfaction: {
      ratings: rated.length,
      satisfied,
      share: rated.length === 0 ? null : satisfied / rated.length,
      averageStars: rated.length === 0 ? null : rated.reduce((sum, stars) => sum + stars, 0) / rated.length,
    },
  };
}

/** One figure set per key; a group shows when anything in it is non-zero in the period. */
function groups(facts: readonly TicketFact[], keyOf: (f: TicketFact) => string, figuresOf: (subset: readonly TicketFact[]) => FigureSet): FigureGroup[] {
  const byKey = new Map<string, TicketFact[]>();
  for (const f of facts) {
    const key = keyOf(f);
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  return [...byKey]
    .map(([key, subset]) => ({ key, ...figuresOf(subset) }))
    .filter((g) => g.new + g.open + g.resolved + g.firstResponses + g.satisfaction.ratings > 0)
    .sort((a, b) => b.new - a.new || b.open - a.open || a.key.localeCompare(b.key));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
