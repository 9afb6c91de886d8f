/**
 * The staff console's HTTP surface, all under /staff, as one encapsulated fastify plugin (its
 * cookies, form parsing, CSRF check, rate limits and error pages touch no other route):
 *
 *   GET  /staff/assets/:file   the console's stylesheet and script
 *   GET  /staff/events         live changes (server-sent events), signed in
 *   GET  /staff/photos/:file   a ticket's photo, to staff who may see the ticket
 *   …sign-in routes (auth/auth-routes.ts) and each part's pages (`StaffPart`)
 *
 * Forms are posted as application/x-www-form-urlencoded with a `_csrf` field (or an
 * `x-csrf-token` header from the script); a request without a valid token is refused with 403.
 */
import { createReadStream } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadStaticAssets } from '../../channels/web/static-assets.js';
import { mimeForUploadFile, refForUploadFile, uploadPath } from '../../channels/media/photo-files.js';
import { OpenStreams } from '../../channels/web/open-streams.js';
import { can } from '../../features/policy/policy.js';
import { loadTicketSubject } from '../../features/tickets/service/index.js';
import { errorFields } from '../../log/error-fields.js';
import { registerAuthRoutes } from '../auth/auth-routes.js';
import { streamLiveChanges } from './live-stream.js';
import { requestLocale, requireStaff, SESSION_COOKIE, staffOf, staffSessionStillLive } from './staff-context.js';
import type { StaffWebDeps } from './staff-web-deps.js';

/** One part of the console (inbox, requests, people, figures): adds its routes to the scope. */
export type StaffPart = (scope: FastifyInstance, deps: StaffWebDeps) => void;

/** A form is a few fields and at most a reply's text: anything larger is refused unread. */
const FORM_BODY_LIMIT = 64 * 1024;
/** Live streams open at once from one address (a household's router may front several staff). */
const STREAMS_PER_ADDRESS = 20;

const PAGE_SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function registerStaffWeb(http: FastifyInstance, deps: StaffWebDeps, parts: readonly StaffPart[]): void {
  const assets = loadStaticAssets(new URL('../public/', import.meta.url));
  const streams = new OpenStreams(STREAMS_PER_ADDRESS);

  void http.register(async (scope) => {
    await scope.register(fastifyCookie, { secret: deps.keys.cookie });
    await scope.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
    await scope.register(fastifyCsrf, {
      cookieKey: 'linli_staff_csrf',
      cookieOpts: { path: '/staff', httpOnly: true, sameSite: 'strict', signed: true, secure: 'auto' },
      getToken: (request) => {
        const body = request.body as Record<string, unknown> | undefined;
        const field = body && typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined;
        const header = request.headers['x-csrf-token'];
        return field ?? (typeof header === 'string' ? header : undefined);
      },
    });
    await scope.register(rateLimit, { global: false });

    scope.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith('/staff/assets/') && !request.url.startsWith('/staff/photos/')) reply.headers(PAGE_SECURITY_HEADERS);
      return payload;
    });

    scope.setErrorHandler((error: FastifyError, request, reply) => plainRefusal(deps, error, request, reply));

    scope.get<{ Params: { file: string } }>('/staff/assets/:file', async (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send(deps.translator.t(requestLocale(deps, request), 'staffweb.errors.not_found'));
      reply.header('etag', asset.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      return reply.type(asset.contentType).send(asset.body);
    });

    scope.get('/staff/events', { preHandler: requireStaff(deps) }, async (request, reply) => {
      const release = streams.tryOpen(request.ip);
      if (!release) {
        const t = staffOf(request).t;
        return reply.code(429).header('retry-after', '30').type('text/plain; charset=utf-8').send(t('staffweb.errors.too_many'));
      }
      const token = request.cookies[SESSION_COOKIE] ?? '';
      streamLiveChanges(deps.live, request, reply, {
        release,
        stillSignedIn: () => staffSessionStillLive(deps, token),
        ...(deps.liveSessionCheckMs !== undefined ? { checkEveryMs: deps.liveSessionCheckMs } : {}),
      });
    });

    scope.get<{ Params: { file: string } }>('/staff/photos/:file', { preHandler: requireStaff(deps) }, async (request, reply) => {
      const ref = refForUploadFile(request.params.file);
      const { viewer, t } = staffOf(request);
      const now = deps.now();
      const ticket = ref
        ? await deps.prisma.ticket.findFirst({
            where: { communityId: deps.communityId, OR: [{ photos: { has: ref } }, { events: { some: { photos: { has: ref } } } }] },
            select: { id: true },
          })
        : null;
      const subject = ticket ? await loadTicketSubject(deps.prisma, deps.communityId, ticket.id) : null;
      if (!ref || !subject || !can(viewer.actor, 'ticket.view_internal', subject, { now })) {
        return reply.code(404).type('text/plain; charset=utf-8').send(t('staffweb.errors.not_found'));
      }
      reply.header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff');
      return reply.type(mimeForUploadFile(request.params.file)).send(createReadStream(uploadPath(deps.dataDir, request.params.file)));
    });

    registerAuthRoutes(scope, deps);
    for (const part of parts) part(scope, deps);
  });
}

/** A refused request: a plain sentence in the person's language and the right status, never a stack or a 500 for bad input. */
function plainRefusal(deps: StaffWebDeps, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const t = (key: string) => deps.translator.t(requestLocale(deps, request), key);
  const status = error.statusCode ?? 500;
  let key = 'staffweb.errors.failed';
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') key = 'staffweb.errors.csrf';
  else if (status === 413) key = 'staffweb.errors.too_large';
  else if (status === 429) key = 'staffweb.errors.too_many';
  else if (status >= 400 && status < 500) key = 'staffweb.errors.bad_form';
  if (status >= 500) deps.logger.error({ err: errorFields(error), route: request.routeOptions.url }, 'staff console request failed');
  return reply
    .code(status >= 400 && status < 600 ? status : 500)
    .type('text/plain; charset=utf-8')
    .send(t(key));
}
