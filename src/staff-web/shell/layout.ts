/**
 * The frame of every staff console page: the language, the title, the navigation (a bar on a
 * phone's bottom edge, a row under the header on a wide screen), who is signed in and how to sign
 * out, a status line for what just happened, and the page's own content. No inline script or
 * style: the page runs under a Content-Security-Policy that allows only the console's own files.
 */
import { html, type SafeHtml } from './html.js';
import type { StaffViewer, Translate } from './viewer.js';

/** The shell's stylesheet, then each part's own (served from src/staff-web/public/, cached by ETag). */
const STYLESHEETS = ['staff', 'inbox', 'people', 'figures', 'notices', 'meetings'] as const;

export type NavSection = 'inbox' | 'requests' | 'people' | 'figures' | 'fund' | 'notices' | 'alerts' | 'meetings' | 'account';

const NAV: readonly { section: Exclude<NavSection, 'account'>; href: string; key: string }[] = [
  { section: 'inbox', href: '/staff', key: 'staffweb.inbox.title' },
  { section: 'requests', href: '/staff/requests', key: 'staffweb.requests.title' },
  { section: 'people', href: '/staff/people', key: 'staffweb.people.title' },
  { section: 'figures', href: '/staff/figures', key: 'staffweb.figures.title' },
  { section: 'fund', href: '/staff/fund', key: 'staffweb.fund.title' },
  { section: 'notices', href: '/staff/notices', key: 'staffweb.notices.nav' },
  { section: 'alerts', href: '/staff/alerts', key: 'notices.rollcall.web.nav' },
  { section: 'meetings', href: '/staff/meetings', key: 'meetings.console.title' },
];

export interface PageFrame {
  t: Translate;
  locale: string;
  communityName: string;
  /** The page's own title (the tab shows it before the community's). */
  title: string;
  /** Absent on the sign-in and setup pages. */
  viewer?: StaffViewer;
  csrfToken?: string;
  section?: NavSection;
  /** A short status after an action ("claimed", "refused: …"), announced to screen readers. */
  status?: { kind: 'ok' | 'error'; text: string };
  main: SafeHtml;
}

export function renderStaffPage(frame: PageFrame): string {
  const { t } = frame;
  const appTitle = t('staffweb.shell.title', { community: frame.communityName });
  const nav = frame.viewer
    ? html`<nav class="shell-nav" aria-label="${t('staffweb.shell.nav')}"><ul>${NAV.map(
        (item) =>
          html`<li><a href="${item.href}"${item.section === frame.section ? html` aria-current="page"` : ''}>${t(item.key)}</a></li>`,
      )}</ul></nav>`
    : '';
  const account = frame.viewer
    ? html`<div class="shell-account"><a href="/staff/account"${frame.section === 'account' ? html` aria-current="page"` : ''}>${frame.viewer.name}</a>
        <form method="post" action="/staff/sign-out"><input type="hidden" name="_csrf" value="${frame.csrfToken ?? ''}"><button type="submit" class="shell-link-button">${t('staffweb.shell.sign_out')}</button></form></div>`
    : '';
  const status = frame.status
    ? html`<p class="shell-status shell-status-${frame.status.kind}" role="${frame.status.kind === 'error' ? 'alert' : 'status'}">${frame.status.text}</p>`
    : html`<p class="shell-status" role="status"></p>`;
  return `<!doctype html>${html`<html lang="${frame.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${frame.title} · ${appTitle}</title>
${STYLESHEETS.map((file) => html`<link rel="stylesheet" href="/staff/assets/${file}.css">`)}
<link rel="icon" href="/staff/assets/icon.svg" type="image/svg+xml">
<script src="/staff/assets/staff.js" defer></script>
</head>
<body${frame.viewer ? html` data-live-stream="/staff/events"` : ''}>
<a class="shell-skip" href="#main">${t('staffweb.shell.skip')}</a>
<header class="shell-header"><p class="shell-brand"><a href="/staff">${appTitle}</a></p>${account}</header>
${nav}
<main id="main" tabindex="-1">
${status}
${frame.main}
</main>
</body>
</html>`}`;
}
