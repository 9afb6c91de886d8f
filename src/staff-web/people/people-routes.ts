/**
 * The roster and people part of the console:
 *
 *   GET  /staff/people?q=&page=                 the roster search
 *   GET  /staff/households/<code>               one household
 *   POST /staff/households/<code>/code          a binding code for the household (shown once)
 *   POST /staff/people/<residentId>/code        a personal binding code (shown once)
 *   POST /staff/people/<residentId>/phone       a member's full number (audited)
 *   GET  /staff/team?ended=1                    staff and their terms (admins)
 *   POST /staff/team                            give someone a role (with a binding code, shown once)
 *   POST /staff/team/<id>/ends                  move a term's last day
 *   POST /staff/team/<id>/end                   end a term now (never the last admin's)
 *
 * A code is shown on the page that answers the POST itself, never behind a redirect a reload
 * could show again (the console's pages are `no-store`). Every answer carries the outcome's status:
 * 403 the policy, 404 nothing there, 400 what was typed, 409 a change the state does not allow.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendNotFound } from '../shell/denied-page.js';
import { html, type SafeHtml } from '../shell/html.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { issuedCodeView } from './code-view.js';
import { householdView, revealedPhoneNotice } from './household-view.js';
import { issueHouseholdCode, issuePersonCode, type IssuedCode } from './issue-codes.js';
import { loadHousehold } from './load-household.js';
import { pageNumber } from './paging.js';
import { qrSvg } from './qr-svg.js';
import { revealMemberPhone } from './reveal-phones.js';
import { searchHouseholds, type HouseholdSearch } from './search-households.js';
import { PEOPLE_PATH, peopleSearchView } from './search-view.js';
import { addTerm, changeTermEnd, endTermNow, listStaff, type TermChangeOutcome } from './staff-terms.js';
import { addTermNotice, STAFF_PATH, staffView, termChangeNotice } from './staff-view.js';
import { formText, MAX_PATH_PART, typedText } from './typed-input.js';
import type { ViewContext } from './view-parts.js';

type SearchQuery = { Querystring: { q?: unknown; page?: unknown } };
type CodeParams = { Params: { code: string } };
type PersonParams = { Params: { residentId: string } };
type TermParams = { Params: { id: string } };
type TeamQuery = { Querystring: { ended?: unknown } };

/** A binding code handed out with a new role stays valid this many days (as `linli staff add --invite`). */
const STAFF_CODE_DAYS = 7;

const addBody = z.object({
  _csrf: z.string(),
  name: formText(100),
  phone: formText(40).optional(),
  role: formText(40),
  area: formText().optional(),
  skills: z.union([formText(40), z.array(formText(40)).max(20)]).optional(),
  ends: formText(20).optional(),
  code: formText(5).optional(),
});
const endsBody = z.object({ _csrf: z.string(), ends: formText(20) });

function codeStatus(issued: IssuedCode): number {
  return issued.status === 'issued' ? 200 : issued.status === 'not_found' ? 404 : 403;
}

function termChangeCode(outcome: TermChangeOutcome): number {
  switch (outcome.status) {
    case 'changed':
      return 200;
    case 'denied':
      return 403;
    case 'not_found':
      return 404;
    case 'bad_date':
    case 'ends_in_past':
    case 'before_start':
      return 400;
    case 'already_ended':
    case 'last_admin':
      return 409;
  }
}

export function registerPeoplePages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const guarded = { preHandler: requireStaff(deps) };
  const posting = { preHandler: [requireStaff(deps), scope.csrfProtection] };
  /** Codes and numbers are handed out a page at a time, not in bulk. */
  const handingOut = { ...posting, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };
  const contextOf = (request: FastifyRequest) => {
    const { t, viewer } = staffOf(request);
    return (csrfToken: string): ViewContext => ({ t, viewer, csrfToken, now: deps.now() });
  };
  const badForm = (request: FastifyRequest) => ({ kind: 'error' as const, text: staffOf(request).t('staffweb.errors.bad_form') });
  const badFormNotice = (ctx: ViewContext) => html`<div class="people-notice" role="alert"><p>${ctx.t('staffweb.errors.bad_form')}</p></div>`;

  // ------------------------------------------------------------ the roster

  scope.get<SearchQuery>(PEOPLE_PATH, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const typed = request.query.q;
    const q = typed === undefined ? '' : typedText(typed);
    const search: HouseholdSearch =
      q === null
        ? { status: 'empty', q: '' }
        : await searchHouseholds(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, q, page: pageNumber(request.query.page), now: deps.now() });
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.people.title'),
      section: 'people',
      ...(q === null ? { status: badForm(request), statusCode: 400 } : {}),
      main: (csrfToken) => peopleSearchView(search, ctx(csrfToken)),
    });
  });

  /** A household's page; `notice` says what a button just did. */
  const sendHouseholdPage = async (request: FastifyRequest, reply: FastifyReply, code: string, notice?: (ctx: ViewContext) => SafeHtml, statusCode?: number) => {
    const { t, viewer } = staffOf(request);
    // In a transaction of its own: a refusal's audit row commits with the read.
    const outcome = await deps.prisma.$transaction((tx) => loadHousehold(tx, { communityId: deps.communityId, actor: viewer.actor, code, now: deps.now() }));
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.people.household.title', { code: outcome.status === 'found' ? outcome.household.code : code }),
      section: 'people',
      statusCode: statusCode ?? (outcome.status === 'found' ? 200 : outcome.status === 'not_found' ? 404 : 403),
      main: (csrfToken) => {
        const view = ctx(csrfToken);
        return householdView(outcome, view, code, notice ? notice(view) : null);
      },
    });
  };

  scope.get<CodeParams>('/staff/households/:code', guarded, async (request, reply) => {
    const code = typedText(request.params.code, MAX_PATH_PART);
    if (code === null) return sendNotFound(request, reply, 'people');
    return sendHouseholdPage(request, reply, code);
  });

  // ------------------------------------------------------------ binding codes and phones

  /** The page of a code just made (or why none was): the POST's own answer, never stored. */
  const sendCodePage = async (request: FastifyRequest, reply: FastifyReply, issued: IssuedCode) => {
    const { t } = staffOf(request);
    const qr = issued.status === 'issued' ? await qrSvg(issued.code) : null;
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.people.code.title'),
      section: 'people',
      statusCode: codeStatus(issued),
      main: (csrfToken) => issuedCodeView({ issued, qrSvg: qr }, ctx(csrfToken)),
    });
  };

  scope.post<CodeParams>('/staff/households/:code/code', handingOut, async (request, reply) => {
    const code = typedText(request.params.code, MAX_PATH_PART);
    if (code === null) return sendCodePage(request, reply, { status: 'not_found' });
    const { viewer } = staffOf(request);
    const issued = await issueHouseholdCode(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, householdCode: code, now: deps.now() });
    return sendCodePage(request, reply, issued);
  });

  scope.post<PersonParams>('/staff/people/:residentId/code', handingOut, async (request, reply) => {
    const residentId = typedText(request.params.residentId, MAX_PATH_PART);
    if (residentId === null) return sendCodePage(request, reply, { status: 'not_found' });
    const { viewer } = staffOf(request);
    const issued = await issuePersonCode(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, residentId, now: deps.now() });
    return sendCodePage(request, reply, issued);
  });

  scope.post<PersonParams>('/staff/people/:residentId/phone', handingOut, async (request, reply) => {
    const residentId = typedText(request.params.residentId, MAX_PATH_PART);
    const person = residentId
      ? await deps.prisma.resident.findFirst({ where: { id: residentId, communityId: deps.communityId }, select: { name: true, household: { select: { code: true } } } })
      : null;
    const { t, viewer } = staffOf(request);
    if (!residentId || !person) return sendNotFound(request, reply, 'people');
    const result = await revealMemberPhone(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, residentId, now: deps.now() });
    const notice = (ctx: ViewContext) => revealedPhoneNotice(result, person.name, ctx);
    const statusCode = result.ok ? 200 : result.reason === 'not_found' ? 404 : 403;
    if (person.household) return sendHouseholdPage(request, reply, person.household.code, notice, statusCode);
    // Someone who lives outside the roster's households (staff from elsewhere): the answer alone.
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.people.title'),
      section: 'people',
      statusCode,
      main: (csrfToken) => html`<h1>${t('staffweb.people.title')}</h1>${notice(ctx(csrfToken))}`,
    });
  });

  // ------------------------------------------------------------ staff and their terms

  /** The staff page, with what a change just did at its top. */
  const sendTeamPage = async (request: FastifyRequest, reply: FastifyReply, options: { includeEnded?: boolean; notice?: (ctx: ViewContext) => SafeHtml; statusCode?: number }) => {
    const { t, viewer } = staffOf(request);
    const includeEnded = options.includeEnded ?? false;
    const list = await deps.prisma.$transaction((tx) => listStaff(tx, { communityId: deps.communityId, actor: viewer.actor, now: deps.now(), includeEnded }));
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.people.staff.title'),
      section: 'people',
      statusCode: list.status === 'denied' ? 403 : (options.statusCode ?? 200),
      main: (csrfToken) => {
        const view = ctx(csrfToken);
        return staffView({ list, includeEnded, notice: options.notice ? options.notice(view) : null }, view);
      },
    });
  };

  scope.get<TeamQuery>(STAFF_PATH, guarded, async (request, reply) => sendTeamPage(request, reply, { includeEnded: request.query.ended === '1' }));

  scope.post(STAFF_PATH, posting, async (request, reply) => {
    const body = addBody.safeParse(request.body);
    if (!body.success) return sendTeamPage(request, reply, { notice: badFormNotice, statusCode: 400 });
    const { viewer } = staffOf(request);
    const typed = body.data;
    const outcome = await addTerm(deps.prisma, {
      communityId: deps.communityId,
      actor: viewer.actor,
      now: deps.now(),
      timezone: viewer.timezone,
      name: typed.name,
      role: typed.role,
      ...(typed.area !== undefined ? { area: typed.area } : {}),
      ...(typed.skills !== undefined ? { skills: typed.skills } : {}),
      ...(typed.phone !== undefined ? { phone: typed.phone } : {}),
      ...(typed.ends !== undefined ? { ends: typed.ends } : {}),
      ...(typed.code === '1' ? { inviteTtlDays: STAFF_CODE_DAYS } : {}),
    });
    const statusCode = outcome.status === 'added' ? 200 : outcome.status === 'denied' ? 403 : 400;
    return sendTeamPage(request, reply, { notice: (ctx) => addTermNotice(outcome, ctx), statusCode });
  });

  const changeTerm = (change: 'ends' | 'end') => async (request: FastifyRequest<TermParams>, reply: FastifyReply) => {
    const { viewer } = staffOf(request);
    const assignmentId = typedText(request.params.id, MAX_PATH_PART);
    const typed = change === 'ends' ? endsBody.safeParse(request.body) : null;
    if (assignmentId === null || (typed && !typed.success)) return sendTeamPage(request, reply, { notice: badFormNotice, statusCode: 400 });
    const input = { communityId: deps.communityId, actor: viewer.actor, assignmentId, now: deps.now() };
    const outcome = typed?.data
      ? await changeTermEnd(deps.prisma, { ...input, ends: typed.data.ends, timezone: viewer.timezone })
      : await endTermNow(deps.prisma, input);
    return sendTeamPage(request, reply, { notice: (ctx) => termChangeNotice(outcome, ctx), statusCode: termChangeCode(outcome) });
  };

  scope.post<TermParams>(`${STAFF_PATH}/:id/ends`, posting, changeTerm('ends'));
  scope.post<TermParams>(`${STAFF_PATH}/:id/end`, posting, changeTerm('end'));
}
