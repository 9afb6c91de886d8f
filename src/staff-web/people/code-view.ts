/**
 * The page that shows a binding code just made: the code as text (large, to read out or copy),
 * the same as a QR code beside it, whom it binds, until when — and that it is shown this once:
 * only its hash is kept, so leaving the page loses it (a new one can be made).
 */
import { denialMessageKey } from '../../features/policy/denials.js';
import { html, trustedHtml, type SafeHtml } from '../shell/html.js';
import type { IssuedCode } from './issue-codes.js';
import { householdHref } from './search-view.js';
import { minuteTag, type ViewContext } from './view-parts.js';

export interface IssuedCodePage {
  issued: IssuedCode;
  /** `qrSvg(code)` when issued (made by the project, never from input). */
  qrSvg?: string | null;
}

/** The page's main content. */
export function issuedCodeView(page: IssuedCodePage, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const { issued } = page;
  const heading = html`<h1>${t('staffweb.people.code.title')}</h1>`;
  if (issued.status === 'not_found') return html`${heading}<p class="people-note" role="alert">${t('staffweb.people.code.not_found')}</p>`;
  if (issued.status === 'denied') return html`${heading}<p class="people-note" role="alert">${t(denialMessageKey(issued.reason))}</p>`;
  const forWhom = issued.forHousehold
    ? html`<p>${t('staffweb.people.code.for_household', { code: issued.forHousehold })}</p>`
    : html`<p>${t('staffweb.people.code.for_person', { name: issued.forPerson ?? '' })}</p>`;
  return html`${heading}
<p class="people-once" role="alert">${t('staffweb.people.code.shown_once')}</p>
${forWhom}
<figure class="people-code">
${page.qrSvg ? trustedHtml(page.qrSvg) : ''}
<figcaption><span class="people-code-label">${t('staffweb.people.code.code_label')}</span> <strong class="people-code-text" lang="en">${issued.code}</strong></figcaption>
</figure>
<p>${t('staffweb.people.code.expires')} ${minuteTag(issued.expiresAt, ctx)}</p>
<p>${issued.forHousehold ? t('staffweb.people.code.how_household') : t('staffweb.people.code.how_person')}</p>
${issued.forHousehold ? html`<p><a href="${householdHref(issued.forHousehold)}">${t('staffweb.people.household.back_to', { code: issued.forHousehold })}</a></p>` : ''}`;
}
