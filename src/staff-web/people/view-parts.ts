/**
 * Pieces the people and requests pages share: what a view is given, a time as the community's
 * clock shows it, the CSRF field of every form, the pager ("showing 51–100 of 312") and the
 * names of flags, channels and roles.
 */
import type { HouseholdFlag, Role, Skill } from '../../features/community/vocabulary.js';
import { ROLE_LABEL_KEYS, SKILL_LABEL_KEYS } from '../../features/community/vocabulary-labels.js';
import { localDay, localMinute } from '../../features/tickets/scheduling/local-format.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { StaffViewer, Translate } from '../shell/viewer.js';
import type { PageInfo } from './paging.js';

/** What every view of these pages is given besides its data. */
export interface ViewContext {
  t: Translate;
  viewer: StaffViewer;
  /** Goes into every POST form as `_csrf`. */
  csrfToken: string;
  now: Date;
}

/** The hidden field a POST form needs to be accepted. */
export function csrfField(ctx: ViewContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

/** A moment to the minute, in the community's time zone. */
export function minuteTag(at: Date, ctx: ViewContext): SafeHtml {
  return html`<time datetime="${at.toISOString()}">${localMinute(at, ctx.viewer.timezone)}</time>`;
}

/** A day, in the community's time zone. */
export function dayTag(at: Date, ctx: ViewContext): SafeHtml {
  return html`<time datetime="${localDay(at, ctx.viewer.timezone)}">${localDay(at, ctx.viewer.timezone)}</time>`;
}

/**
 * "Showing 51–100 of 312" and links to the pages either side. `href` makes a page's address
 * (the same filters, another page). Nothing when the list is empty.
 */
export function pager(paging: PageInfo, href: (page: number) => string, ctx: ViewContext, part: string): SafeHtml {
  if (paging.total === 0) return html``;
  const from = (paging.page - 1) * paging.pageSize + 1;
  const to = Math.min(paging.page * paging.pageSize, paging.total);
  const links =
    paging.pages > 1
      ? html`<nav class="${part}-pager" aria-label="${ctx.t('staffweb.people.paging.label')}"><ul>
${paging.page > 1 ? html`<li><a rel="prev" href="${href(paging.page - 1)}">${ctx.t('staffweb.people.paging.previous')}</a></li>` : ''}
${paging.page < paging.pages ? html`<li><a rel="next" href="${href(paging.page + 1)}">${ctx.t('staffweb.people.paging.next')}</a></li>` : ''}
</ul></nav>`
      : '';
  return html`<p class="${part}-count" role="status">${ctx.t('staffweb.people.paging.showing', { from, to, total: paging.total })}</p>${links}`;
}

/** An address with its query string; empty values are left out. */
export function hrefWith(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const FLAG_KEYS: Readonly<Record<HouseholdFlag, string>> = {
  elderly: 'staffweb.people.flag.elderly',
  disabled: 'staffweb.people.flag.disabled',
  ill: 'staffweb.people.flag.ill',
  low_income: 'staffweb.people.flag.low_income',
  veteran_family: 'staffweb.people.flag.veteran_family',
};

const CHANNEL_KEYS: Readonly<Record<string, string>> = {
  web: 'staffweb.people.channel.web',
  telegram: 'staffweb.people.channel.telegram',
  wechat: 'staffweb.people.channel.wechat',
};

export function flagLabel(flag: HouseholdFlag, ctx: ViewContext): string {
  return ctx.t(FLAG_KEYS[flag]);
}

/** A channel's name; a channel added later without words here shows its own name. */
export function channelLabel(channel: string, ctx: ViewContext): string {
  const key = CHANNEL_KEYS[channel];
  return key ? ctx.t(key) : channel;
}

export function roleLabel(role: Role, ctx: ViewContext): string {
  return ctx.t(ROLE_LABEL_KEYS[role]);
}

export function skillLabel(skill: Skill, ctx: ViewContext): string {
  return ctx.t(SKILL_LABEL_KEYS[skill]);
}

/** Words joined the way the language lists them (、 in Chinese, ", " in English). */
export function listOf(words: readonly string[], ctx: ViewContext): string {
  return words.join(ctx.t('staffweb.people.list_separator'));
}
