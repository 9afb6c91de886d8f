/**
 * The WeChat admin page: login state and, while waiting, the login QR code as inline SVG. It
 * reloads itself with a meta refresh (no script), so it works under a Content-Security-Policy
 * that allows nothing but its own nonce-tagged style.
 */
import type { Translator } from '../../i18n/translator.js';
import { escapeHtml } from '../web/chat-page.js';
import type { WeChatLoginState, WeChatLoginView } from './login-status.js';
import { qrCodeSvg } from './qr-code.js';

const TIME_MARKER = '\u0000time\u0000';

const STATE_KEYS: Record<WeChatLoginState, string> = {
  starting: 'wechat.admin.state.starting',
  'waiting-for-scan': 'wechat.admin.state.waitingForScan',
  'logged-in': 'wechat.admin.state.loggedIn',
  'logged-out': 'wechat.admin.state.loggedOut',
};

/** Seconds between reloads: soon while a login is under way, rarely once it is done. */
export function refreshSeconds(state: WeChatLoginState): number {
  return state === 'logged-in' ? 30 : 5;
}

export interface AdminPageContext {
  translator: Translator;
  locale: string;
  timeZone: string;
  /** Allows the page's one style element under the Content-Security-Policy. */
  styleNonce: string;
}

export async function renderAdminPage(view: WeChatLoginView, ctx: AdminPageContext): Promise<string> {
  const t = (key: string, vars?: Record<string, string | number>) => escapeHtml(ctx.translator.t(ctx.locale, key, vars));
  const since = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: ctx.timeZone }).format(new Date(view.since));
  const refresh = refreshSeconds(view.state);

  // The time goes into the translated sentence as markup: a marker is put in, escaped with the
  // sentence, then swapped for the <time> element.
  const sinceLine = t('wechat.admin.since', { time: TIME_MARKER }).replace(TIME_MARKER, `<time datetime="${escapeHtml(view.since)}">${escapeHtml(since)}</time>`);
  const body: string[] = [
    `<p class="state state-${view.state}" role="status">${t(STATE_KEYS[view.state])}</p>`,
    `<p class="since">${sinceLine}</p>`,
  ];
  if (view.botId) body.push(`<p class="account">${t('wechat.admin.botId', { id: view.botId })}</p>`);
  if (view.code) {
    const label = t('wechat.admin.qrAlt');
    const svg = (await qrCodeSvg(view.code.value)).replace('<svg ', `<svg role="img" aria-label="${label}" `);
    body.push(
      `<p class="hint">${t(view.code.scanned ? 'wechat.admin.scanned' : 'wechat.admin.scanHint')}</p>`,
      `<figure class="qr${view.code.scanned ? ' scanned' : ''}">${svg}</figure>`,
    );
  }
  body.push(`<p class="refresh">${t('wechat.admin.refresh', { seconds: refresh })}</p>`);

  return pageShell(ctx, body.join('\n'), refresh);
}

/** The page shown without a valid token. */
export function renderUnauthorizedPage(ctx: AdminPageContext): string {
  const t = (key: string) => escapeHtml(ctx.translator.t(ctx.locale, key));
  return pageShell(ctx, `<p class="state">${t('wechat.admin.unauthorized')}</p>`);
}

/** The document around both pages; `refreshSeconds` makes the browser reload it by itself. */
function pageShell(ctx: AdminPageContext, body: string, refreshSeconds?: number): string {
  const t = (key: string) => escapeHtml(ctx.translator.t(ctx.locale, key));
  const refresh = refreshSeconds === undefined ? '' : `\n<meta http-equiv="refresh" content="${refreshSeconds}">`;
  return `<!doctype html>
<html lang="${escapeHtml(ctx.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">${refresh}
<title>${t('wechat.admin.title')}</title>
<style nonce="${escapeHtml(ctx.styleNonce)}">${STYLE}</style>
</head>
<body>
<main>
<h1>${t('wechat.admin.heading')}</h1>
${body}
</main>
</body>
</html>
`;
}

const STYLE = `
body { margin: 0; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; color: #1f2328; }
main { box-sizing: border-box; width: min(28rem, calc(100% - 2rem)); margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
.state { font-size: 1.1rem; font-weight: 600; margin: 0 0 .25rem; }
.state-logged-in { color: #1a7f37; }
.state-logged-out { color: #cf222e; }
.since, .account, .refresh { color: #57606a; font-size: .9rem; margin: .25rem 0; }
.hint { margin: 1rem 0 .5rem; }
.qr { margin: 0 auto; width: min(18rem, 100%); }
.qr svg { display: block; width: 100%; height: auto; }
.qr.scanned { opacity: .35; }
`;
