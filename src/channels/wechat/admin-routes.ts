/**
 * GET /admin/wechat: the WeChat login page for the operator.
 *
 * Whoever scans the QR code shown here logs their own WeChat account in as the community's bot
 * (and then reads what residents write to it), so the page needs a token on every request —
 * `?token=…` or `Authorization: Bearer …` — whatever HOST is: a reverse proxy on the same
 * machine makes public requests look local, so "only from loopback" would not be enough. The
 * token is derived from LINLI_SECRET (nothing new to configure) and printed in the terminal
 * with the QR code, which is exactly as sensitive. Without it the page says only that a token
 * is needed.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Translator } from '../../i18n/translator.js';
import { pickLocale } from '../web/accept-language.js';
import { renderAdminPage, renderUnauthorizedPage, type AdminPageContext } from './admin-page.js';
import type { WeChatLoginStatus } from './login-status.js';

export const WECHAT_ADMIN_PATH = '/admin/wechat';

export interface WeChatAdminOptions {
  login: WeChatLoginStatus;
  translator: Translator;
  /** Page language when the browser asks for none we have. */
  defaultLocale: string;
  /** Times are shown in the community's zone. */
  timeZone: string;
  /** See deriveWeChatAdminToken. */
  token: string;
}

/** The admin page's access token: a keyed hash of LINLI_SECRET, stable across restarts. */
export function deriveWeChatAdminToken(secret: string): string {
  return createHmac('sha256', secret).update('linli/wechat-admin/v1').digest('base64url').slice(0, 32);
}

/**
 * The address to print for the operator on this machine: a wildcard HOST (0.0.0.0, ::) is
 * reached on the loopback address; IPv6 literals get their brackets.
 */
export function localBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** The page's address with its token, e.g. for `http://127.0.0.1:3000`. */
export function weChatAdminUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${WECHAT_ADMIN_PATH}?token=${encodeURIComponent(token)}`;
}

export function registerWeChatAdminRoutes(app: FastifyInstance, options: WeChatAdminOptions): void {
  const expected = digest(options.token);

  app.get(WECHAT_ADMIN_PATH, async (request, reply) => {
    const styleNonce = randomBytes(16).toString('base64');
    const ctx: AdminPageContext = {
      translator: options.translator,
      locale: pickLocale(request.headers['accept-language'], options.translator, options.defaultLocale),
      timeZone: options.timeZone,
      styleNonce,
    };
    setPageHeaders(reply, styleNonce);
    const presented = presentedToken(request);
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      return reply.code(401).send(renderUnauthorizedPage(ctx));
    }
    return reply.send(await renderAdminPage(options.login.view(), ctx));
  });
}

function presentedToken(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/** Equal-length values for a constant-time comparison. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function setPageHeaders(reply: FastifyReply, styleNonce: string): void {
  reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('x-robots-tag', 'noindex')
    .header('vary', 'accept-language')
    .header(
      'content-security-policy',
      `default-src 'none'; style-src 'nonce-${styleNonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
}
