/**
 * The digests as text for the staff chat, in one language (the community's default): counts, the
 * three rates, then new / open by area and by category; the weekly one with the change from the
 * week before. Every word comes from locales (`tickets.digest.*`); numbers are formatted here.
 */
import type { Translator } from '../../../i18n/translator.js';
import type { Change, Digest, GroupCount, WeeklyDigest } from '../rules/digest.js';
import { findCategory, type TicketCategory } from '../rules/categories.js';
import { categoryName } from '../rules/labels.js';
import { addLocalDays } from '../rules/local-time.js';
import type { Rate } from '../rules/three-rates.js';
import { localDay } from './local-format.js';

/** Lines per "by area" / "by category" list; the rest is summed up in one line. */
export const GROUP_LINES = 10;

export interface DigestTextContext {
  translator: Translator;
  locale: string;
  timezone: string;
  categories: readonly TicketCategory[];
}

/** The daily digest of `digest.period` (one local day). */
export function dailyDigestText(digest: Digest, ctx: DigestTextContext): string {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.translator.t(ctx.locale, key, vars);
  const c = digest.counts;
  return [
    t('tickets.digest.daily_title', { date: localDay(digest.period.from, ctx.timezone) }),
    t('tickets.digest.counts', {
      new: c.new,
      resolved: c.resolved,
      open: c.open,
      overdue: c.overdue,
      overdueFirstResponse: c.overdueFirstResponse,
      overdueResolution: c.overdueResolution,
    }),
    t('tickets.digest.rates', {
      response: rateText(digest.rates.response, ctx),
      resolution: rateText(digest.rates.resolution, ctx),
      satisfaction: rateText(digest.rates.satisfaction, ctx),
    }),
    ...groups(digest, ctx),
  ].join('\n');
}

/** The weekly digest: the week, and each figure's change from the week before. */
export function weeklyDigestText(weekly: WeeklyDigest, ctx: DigestTextContext): string {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.translator.t(ctx.locale, key, vars);
  const { current, change, rateChange } = weekly;
  const c = current.counts;
  return [
    t('tickets.digest.weekly_title', {
      from: localDay(current.period.from, ctx.timezone),
      to: localDay(addLocalDays(current.period.to, -1, ctx.timezone), ctx.timezone),
    }),
    t('tickets.digest.weekly_counts', {
      new: c.new,
      newChange: changeText(change.new, ctx),
      resolved: c.resolved,
      resolvedChange: changeText(change.resolved, ctx),
      open: c.open,
      openChange: changeText(change.open, ctx),
      overdue: c.overdue,
      overdueChange: changeText(change.overdue, ctx),
    }),
    t('tickets.digest.weekly_rates', {
      response: rateText(current.rates.response, ctx),
      responseChange: pointsText(rateChange.response, ctx),
      resolution: rateText(current.rates.resolution, ctx),
      resolutionChange: pointsText(rateChange.resolution, ctx),
      satisfaction: rateText(current.rates.satisfaction, ctx),
      satisfactionChange: pointsText(rateChange.satisfaction, ctx),
    }),
    ...groups(current, ctx),
  ].join('\n');
}

function groups(digest: Digest, ctx: DigestTextContext): string[] {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.translator.t(ctx.locale, key, vars);
  const lines: string[] = [];
  const section = (title: string, list: readonly GroupCount[], name: (key: string) => string) => {
    if (list.length === 0) return;
    lines.push(title);
    for (const g of list.slice(0, GROUP_LINES)) lines.push(t('tickets.digest.group_line', { name: name(g.key), new: g.new, open: g.open }));
    if (list.length > GROUP_LINES) lines.push(t('tickets.digest.more', { count: list.length - GROUP_LINES }));
  };
  section(t('tickets.digest.by_area'), digest.byArea, (key) => (key === '' ? t('tickets.digest.no_area') : key));
  section(t('tickets.digest.by_category'), digest.byCategory, (code) => {
    const named = categoryName(findCategory(ctx.categories, code), ctx.locale);
    return 'text' in named ? named.text : t(named.key);
  });
  return lines;
}

function rateText(rate: Rate, ctx: DigestTextContext): string {
  if (rate.rate === null) return ctx.translator.t(ctx.locale, 'tickets.digest.rate_none');
  return ctx.translator.t(ctx.locale, 'tickets.digest.rate', { percent: oneDecimal(rate.rate * 100), numerator: rate.numerator, denominator: rate.denominator });
}

function changeText(change: Change, ctx: DigestTextContext): string {
  if (change.delta === 0) return ctx.translator.t(ctx.locale, 'tickets.digest.change_none');
  if (change.percent === null) return ctx.translator.t(ctx.locale, 'tickets.digest.change_from_zero', { delta: signed(change.delta) });
  return ctx.translator.t(ctx.locale, 'tickets.digest.change', { delta: signed(change.delta), percent: signed(change.percent) });
}

function pointsText(points: number | null, ctx: DigestTextContext): string {
  if (points === null) return ctx.translator.t(ctx.locale, 'tickets.digest.points_none');
  return ctx.translator.t(ctx.locale, 'tickets.digest.points_change', { points: signed(points) });
}

/** `+3`, `-2.5`, `0`: one decimal at most. */
function signed(value: number): string {
  const text = oneDecimal(value);
  return value > 0 ? `+${text}` : text;
}

function oneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
