/**
 * The signed-in staff member behind a request: the session cookie's token → a live session →
 * the person, who must still hold a staff role today → their actor (as the policy sees them, acting
 * from the web), their language and the community's time zone. Parts of the console read it with
 * `staffOf(request)` inside routes guarded by `requireStaff`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadActor } from '../../features/policy/load-actor.js';
import { liveStaffSession } from '../auth/sessions.js';
import { isCurrentStaff } from '../auth/login-codes.js';
import { pickLocale } from '../../channels/web/accept-language.js';
import type { StaffWebDeps } from './staff-web-deps.js';
import type { PersonActor, StaffViewer, Translate } from './viewer.js';

export const SESSION_COOKIE = 'linli_staff';
export const LANGUAGE_COOKIE = 'linli_staff_lang';

export interface StaffRequestContext {
  viewer: StaffViewer;
  sessionId: string;
  t: Translate;
  communityName: string;
}

const CONTEXT = Symbol('staff');
type WithStaff = FastifyRequest & { [CONTEXT]?: StaffRequestContext };

/** The staff member of a request that passed `requireStaff`. */
export function staffOf(request: FastifyRequest): StaffRequestContext {
  const context = (request as WithStaff)[CONTEXT];
  if (!context) throw new Error('staffOf: the route is not guarded by requireStaff');
  return context;
}

/** The language of a page for someone not signed in (or who chose none): the cookie, else the browser's, else the community's. */
export function requestLocale(deps: StaffWebDeps, request: FastifyRequest, chosen?: string | null): string {
  const cookie = request.cookies[LANGUAGE_COOKIE];
  const fromCookie = cookie ? deps.translator.match(cookie) : undefined;
  return fromCookie ?? (chosen ? deps.translator.match(chosen) : undefined) ?? pickLocale(request.headers['accept-language'], deps.translator, deps.defaultLocale);
}

export function translateFor(deps: StaffWebDeps, locale: string): Translate {
  return (key, vars) => deps.translator.t(locale, key, vars);
}

/**
 * Whether a session token still opens the console: a live session of someone still staff today
 * (the deps' clock). Asked again and again by an open live stream, so it does not renew the
 * session's idle time: an open tab nobody uses lets the session end as idle.
 */
export async function staffSessionStillLive(deps: Pick<StaffWebDeps, 'prisma' | 'communityId' | 'sessionIdleMs' | 'now'>, token: string): Promise<boolean> {
  const now = deps.now();
  return deps.prisma.$transaction(async (tx) => {
    const session = await liveStaffSession(tx, { communityId: deps.communityId, token, idleMs: deps.sessionIdleMs, now, renew: false });
    return session !== null && (await isCurrentStaff(tx, session.residentId, now));
  });
}

/**
 * A preHandler: lets the request on with its staff member, or sends a page to sign in (GET) /
 * 401 (anything else) when there is no live session or the person is no longer staff.
 */
export function requireStaff(deps: StaffWebDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE];
    const now = deps.now();
    const found = token
      ? await deps.prisma.$transaction(async (tx) => {
          const session = await liveStaffSession(tx, { communityId: deps.communityId, token, idleMs: deps.sessionIdleMs, now });
          if (!session || !(await isCurrentStaff(tx, session.residentId, now))) return null;
          const actor = await loadActor(tx, { residentId: session.residentId }, { now });
          const person = await tx.resident.findUnique({ where: { id: session.residentId }, select: { name: true, locale: true, community: { select: { name: true, timezone: true } } } });
          return actor?.kind === 'person' && person ? { session, actor, person } : null;
        })
      : null;
    if (!found) {
      if (request.method === 'GET' && !request.url.startsWith('/staff/events')) {
        const next = encodeURIComponent(request.url);
        return void reply.redirect(`/staff/sign-in?next=${next}`, 303);
      }
      const locale = requestLocale(deps, request);
      return void reply.code(401).type('text/plain; charset=utf-8').send(deps.translator.t(locale, 'staffweb.auth.signed_out'));
    }
    const locale = requestLocale(deps, request, found.person.locale);
    const actor: PersonActor = { ...found.actor, via: 'console' };
    (request as WithStaff)[CONTEXT] = {
      viewer: { actor, residentId: found.session.residentId, name: found.person.name, locale, timezone: found.person.community.timezone },
      sessionId: found.session.id,
      t: translateFor(deps, locale),
      communityName: found.person.community.name,
    };
  };
}
