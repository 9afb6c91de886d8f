/**
 * Signing in and out of the staff console:
 *
 *   GET  /staff/sign-in              the page: ask for a code, sign in with name and code
 *   POST /staff/sign-in/code         the bot sends a code to the staff member's bound chats
 *   POST /staff/sign-in              name + code → a session cookie
 *   GET  /staff/setup/:token         the first administrator's form (while there is none)
 *   POST /staff/setup/:token         makes them an administrator and signs them in
 *   POST /staff/sign-out             ends this browser's session
 *   POST /staff/sign-out-everywhere  ends all the staff member's sessions
 *   GET  /staff/account              language, sessions
 *   POST /staff/account/language     the console's language for this browser
 *
 * Every POST carries the CSRF token. Codes are asked for and tried a limited number of times per
 * address (and per person: login-codes.ts); each refusal is audited.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import type {} from '@fastify/cookie';
import { z } from 'zod';
import { isStorableText } from '../../util/storable-text.js';
import { transactionWithAfterCommit, finishCommitted } from '../../db/after-commit.js';
import { StaffLookupError } from '../../features/community/staff.js';
import type { QueuedOutboxRow } from '../../outbox/outbox.js';
import { renderStaffPage, type PageFrame } from '../shell/layout.js';
import { LANGUAGE_COOKIE, requestLocale, requireStaff, SESSION_COOKIE, staffOf, translateFor } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { addressNetwork } from './address-network.js';
import { accountView, setupGoneView, setupView, signInView } from './auth-views.js';
import { createFirstAdmin, setupTokenValid } from './first-admin.js';
import { issueLoginCode, LOGIN_CODE_TTL_MS, signInWithCode, staffByName, type SignInRefusal } from './login-codes.js';
import { endAllStaffSessions, endStaffSession, startStaffSession } from './sessions.js';

/** A new code for the same person at most this often (each is a chat message to them). */
const CODE_RESEND_MS = 60_000;
/** A session cookie lives this long in the browser; the server ends it sooner when idle. */
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** Text a form may carry: at most `max` characters, none that cannot be stored (a NUL, a lone surrogate). */
const typed = (max: number) => z.string().max(max).refine(isStorableText);
const signInBody = z.object({ _csrf: z.string(), name: typed(200), code: typed(40), next: typed(500).optional() });
const sendCodeBody = z.object({ _csrf: z.string(), name: typed(200), next: typed(500).optional() });
const setupBody = z.object({ _csrf: z.string(), name: typed(200), phone: typed(40).optional() });
const languageBody = z.object({ _csrf: z.string(), locale: z.string().max(20) });

/** The words for each refusal of a sign-in. */
const REFUSAL_KEYS: Record<SignInRefusal, string> = {
  wrong_code: 'staffweb.auth.refused.wrong_code',
  codes_voided: 'staffweb.auth.refused.codes_voided',
  too_many_from_here: 'staffweb.auth.refused.too_many_from_here',
};

/** Why a form was refused: characters that cannot be stored get their own words (the name looks fine on screen). */
function badFormKey(body: unknown): string {
  const fields = typeof body === 'object' && body !== null ? Object.values(body) : [];
  return fields.some((value) => typeof value === 'string' && !isStorableText(value)) ? 'staffweb.auth.unreadable_text' : 'staffweb.errors.bad_form';
}

/** Only a console path: a sign-in link can never send someone elsewhere. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/staff') || next.startsWith('//') || /[\\\s]/.test(next) || next.startsWith('/staff/sign-')) return '/staff';
  return next;
}

/** A keyed hash of the browser's network (an IPv6 host's whole /64: address-network.ts); the address is never stored. */
export function originOf(deps: StaffWebDeps, request: FastifyRequest): string {
  return `staff:${createHmac('sha256', deps.keys.origin).update(addressNetwork(request.ip)).digest().subarray(0, 16).toString('base64url')}`;
}

export function sessionCookieOptions(request: FastifyRequest) {
  return { path: '/staff', httpOnly: true, sameSite: 'strict' as const, secure: request.protocol === 'https', maxAge: COOKIE_MAX_AGE_SECONDS };
}

export function registerAuthRoutes(scope: FastifyInstance, deps: StaffWebDeps): void {
  const communityName = async () => (await deps.prisma.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { name: true } })).name;
  const page = async (request: FastifyRequest, reply: FastifyReply, frame: Omit<PageFrame, 't' | 'locale' | 'communityName'>, status = 200) => {
    const locale = requestLocale(deps, request);
    const t = translateFor(deps, locale);
    return reply.code(status).type('text/html; charset=utf-8').send(renderStaffPage({ ...frame, t, locale, communityName: await communityName() }));
  };
  const tOf = (request: FastifyRequest) => translateFor(deps, requestLocale(deps, request));
  const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 minute' } } });

  scope.get<{ Querystring: { next?: string } }>('/staff/sign-in', async (request, reply) => {
    const t = tOf(request);
    const csrfToken = reply.generateCsrf();
    return page(request, reply, { title: t('staffweb.auth.title'), main: signInView({ csrfToken, next: safeNext(request.query.next) }, t) });
  });

  scope.post('/staff/sign-in/code', { ...limited(5), preHandler: scope.csrfProtection }, async (request, reply) => {
    const t = tOf(request);
    const body = sendCodeBody.safeParse(request.body);
    if (!body.success) return page(request, reply, { title: t('staffweb.auth.title'), status: { kind: 'error', text: t(badFormKey(request.body)) }, main: signInView({ csrfToken: reply.generateCsrf(), next: '/staff' }, t) }, 400);
    const now = deps.now();
    const committed = await transactionWithAfterCommit(deps.prisma, async (tx) => {
      const rows: QueuedOutboxRow[] = [];
      for (const person of await staffByName(tx, deps.communityId, body.data.name, now)) {
        const recent = await tx.staffLoginCode.findFirst({
          where: { residentId: person.id, purpose: 'login', createdAt: { gt: new Date(now.getTime() - CODE_RESEND_MS) } },
          select: { id: true },
        });
        if (recent) continue;
        const accounts = await tx.chatAccount.findMany({ where: { residentId: person.id, unreachableAt: null }, select: { id: true } });
        if (accounts.length === 0) continue;
        const { code } = await issueLoginCode(tx, { communityId: deps.communityId, residentId: person.id, via: 'chat', key: deps.keys.code, now });
        for (const account of accounts) {
          rows.push(...(await deps.notifier.write(tx, { chatAccountId: account.id, key: 'staffweb.auth.code_message', vars: { code, minutes: LOGIN_CODE_TTL_MS / 60_000 } })));
        }
      }
      return rows;
    });
    await finishCommitted(committed, deps.outbox, committed.value);
    // The same answer whoever the name is: the page does not tell who is staff.
    return page(request, reply, {
      title: t('staffweb.auth.title'),
      status: { kind: 'ok', text: t('staffweb.auth.code_sent') },
      main: signInView({ csrfToken: reply.generateCsrf(), next: safeNext(body.data.next), name: body.data.name }, t),
    });
  });

  scope.post('/staff/sign-in', { ...limited(20), preHandler: scope.csrfProtection }, async (request, reply) => {
    const t = tOf(request);
    const body = signInBody.safeParse(request.body);
    if (!body.success) return page(request, reply, { title: t('staffweb.auth.title'), status: { kind: 'error', text: t(badFormKey(request.body)) }, main: signInView({ csrfToken: reply.generateCsrf(), next: '/staff' }, t) }, 400);
    const now = deps.now();
    const next = safeNext(body.data.next);
    const outcome = await deps.prisma.$transaction(async (tx) => {
      const result = await signInWithCode(tx, { communityId: deps.communityId, name: body.data.name, typedCode: body.data.code, origin: originOf(deps, request), key: deps.keys.code, now });
      if (result.status !== 'signed_in') return result;
      const session = await startStaffSession(tx, { communityId: deps.communityId, residentId: result.residentId, via: 'code', now });
      return { status: 'signed_in' as const, token: session.token };
    });
    if (outcome.status === 'signed_in') {
      reply.setCookie(SESSION_COOKIE, outcome.token, sessionCookieOptions(request));
      return reply.redirect(next, 303);
    }
    if (outcome.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(outcome.retryAfterMs / 1000)));
    const status = outcome.reason === 'too_many_from_here' ? 429 : 401;
    return page(
      request,
      reply,
      { title: t('staffweb.auth.title'), status: { kind: 'error', text: t(REFUSAL_KEYS[outcome.reason]) }, main: signInView({ csrfToken: reply.generateCsrf(), next, name: body.data.name }, t) },
      status,
    );
  });

  scope.get<{ Params: { token: string } }>('/staff/setup/:token', async (request, reply) => {
    const t = tOf(request);
    const valid = await setupTokenValid(deps.prisma, { communityId: deps.communityId, token: request.params.token, key: deps.keys.code, now: deps.now() });
    if (!valid) return page(request, reply, { title: t('staffweb.auth.setup_title'), main: setupGoneView(t) }, 410);
    return page(request, reply, { title: t('staffweb.auth.setup_title'), main: setupView({ csrfToken: reply.generateCsrf(), token: request.params.token }, t) });
  });

  scope.post<{ Params: { token: string } }>('/staff/setup/:token', { ...limited(10), preHandler: scope.csrfProtection }, async (request, reply) => {
    const t = tOf(request);
    const body = setupBody.safeParse(request.body);
    const token = request.params.token;
    if (!body.success) return page(request, reply, { title: t('staffweb.auth.setup_title'), status: { kind: 'error', text: t(badFormKey(request.body)) }, main: setupView({ csrfToken: reply.generateCsrf(), token }, t) }, 400);
    const now = deps.now();
    const community = await deps.prisma.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { timezone: true } });
    let outcome;
    try {
      outcome = await deps.prisma.$transaction(async (tx) => {
        const created = await createFirstAdmin(tx, { communityId: deps.communityId, token, name: body.data.name, ...(body.data.phone ? { phone: body.data.phone } : {}), key: deps.keys.code, timezone: community.timezone, now });
        if (created.status !== 'created') return created;
        const session = await startStaffSession(tx, { communityId: deps.communityId, residentId: created.residentId, via: 'setup', now });
        return { status: 'created' as const, token: session.token };
      });
    } catch (error) {
      if (!(error instanceof StaffLookupError)) throw error;
      outcome = { status: 'ambiguous' as const };
    }
    if (outcome.status === 'created') {
      reply.setCookie(SESSION_COOKIE, outcome.token, sessionCookieOptions(request));
      return reply.redirect('/staff', 303);
    }
    if (outcome.status === 'gone') return page(request, reply, { title: t('staffweb.auth.setup_title'), main: setupGoneView(t) }, 410);
    const text = outcome.status === 'ambiguous' ? t('staffweb.auth.setup_ambiguous') : t('staffweb.auth.setup_invalid');
    return page(
      request,
      reply,
      { title: t('staffweb.auth.setup_title'), status: { kind: 'error', text }, main: setupView({ csrfToken: reply.generateCsrf(), token, name: body.data.name, ...(body.data.phone ? { phone: body.data.phone } : {}) }, t) },
      400,
    );
  });

  const guarded = { preHandler: [requireStaff(deps), scope.csrfProtection] };

  scope.post('/staff/sign-out', guarded, async (request, reply) => {
    await endStaffSession(deps.prisma, staffOf(request).sessionId, deps.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/staff' });
    return reply.redirect('/staff/sign-in', 303);
  });

  scope.post('/staff/sign-out-everywhere', guarded, async (request, reply) => {
    await endAllStaffSessions(deps.prisma, staffOf(request).viewer.residentId, deps.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/staff' });
    return reply.redirect('/staff/sign-in', 303);
  });

  scope.get('/staff/account', { preHandler: requireStaff(deps) }, async (request, reply) => {
    const staff = staffOf(request);
    const otherSessions = await deps.prisma.staffSession.count({ where: { residentId: staff.viewer.residentId, endedAt: null, id: { not: staff.sessionId } } });
    const locales = deps.translator.locales.map((code) => ({ code, label: deps.translator.t(code, 'staffweb.auth.language_name') }));
    return reply.type('text/html; charset=utf-8').send(
      renderStaffPage({
        t: staff.t,
        locale: staff.viewer.locale,
        communityName: staff.communityName,
        title: staff.viewer.name,
        viewer: staff.viewer,
        csrfToken: reply.generateCsrf(),
        section: 'account',
        main: accountView({ csrfToken: reply.generateCsrf(), name: staff.viewer.name, locale: staff.viewer.locale, locales, otherSessions }, staff.t),
      }),
    );
  });

  scope.post('/staff/account/language', guarded, async (request, reply) => {
    const body = languageBody.safeParse(request.body);
    const locale = body.success ? deps.translator.match(body.data.locale) : undefined;
    if (locale) reply.setCookie(LANGUAGE_COOKIE, locale, { ...sessionCookieOptions(request), maxAge: 365 * 24 * 3600 });
    return reply.redirect('/staff/account', 303);
  });
}
