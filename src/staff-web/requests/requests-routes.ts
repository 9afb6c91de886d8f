/**
 * The binding requests part of the console:
 *
 *   GET  /staff/requests?status=&page=      the requests the viewer may decide (refreshes itself)
 *   GET  /staff/requests/<n>?q=&page=       one request, and the roster searched for its household
 *   POST /staff/requests/<n>/approve        field `household`: the household chosen (else the roster's one match)
 *   POST /staff/requests/<n>/reject
 *   POST /staff/requests/<n>/phone          the number the person gave, in full (audited)
 *
 * A decision taken goes back to the list (303) with what it did in the status line, so a reload
 * decides nothing twice and the list can refresh itself; a refused one answers on the request's
 * page with its words and the matching status (403 the policy, 404 no such request, 400 a
 * household that is not on the roster, 409 decided meanwhile).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApproveOutcome, DecisionDenied, RejectOutcome } from '../../features/identity/binding-requests.js';
import { revealedPhoneNotice } from '../people/household-view.js';
import { pageNumber } from '../people/paging.js';
import { revealRequestPhone } from '../people/reveal-phones.js';
import { formText, MAX_PATH_PART, typedText } from '../people/typed-input.js';
import { hrefWith, type ViewContext } from '../people/view-parts.js';
import { sendNotFound } from '../shell/denied-page.js';
import type { SafeHtml } from '../shell/html.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { decideBindingRequest } from './decide-request.js';
import { listBindingRequests, loadBindingRequest, requestNumber, requestStatusFilter, type OneRequest } from './list-requests.js';
import { decisionStatus, REQUESTS_PATH, requestsListView, requestView } from './requests-view.js';
import { searchRosterForRequest } from './search-roster.js';

type ListQuery = { Querystring: { status?: unknown; page?: unknown; done?: unknown; number?: unknown } };
type OneParams = { Params: { number: string } };
type OneQuery = OneParams & { Querystring: { q?: unknown; page?: unknown } };

/** A household's code, as its page's address holds it. */
const approveBody = z.object({ _csrf: z.string(), household: formText(MAX_PATH_PART).optional() });

/** Decisions said in the status line after the redirect to the list. */
const DONE_KEYS: Readonly<Record<string, string>> = {
  approved: 'staffweb.requests.outcome.approved',
  rejected: 'staffweb.requests.outcome.rejected',
};

/** The HTTP status of a decision that changed nothing. */
function refusalCode(outcome: ApproveOutcome | RejectOutcome | DecisionDenied): number {
  switch (outcome.status) {
    case 'denied':
      return 403;
    case 'not_found':
      return 404;
    case 'household_not_found':
    case 'household_required':
      return 400;
    default:
      return 409;
  }
}

export function registerRequestsPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const guarded = { preHandler: requireStaff(deps) };
  const posting = { preHandler: [requireStaff(deps), scope.csrfProtection] };
  const contextOf = (request: FastifyRequest) => {
    const { t, viewer } = staffOf(request);
    return (csrfToken: string): ViewContext => ({ t, viewer, csrfToken, now: deps.now() });
  };

  /** One request's page, with a roster search when one was typed and what a button just did. */
  const sendRequestPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    number: number,
    options: {
      q?: string | null;
      page?: number;
      /** What a button just did, said with the request as found. */
      notice?: (ctx: ViewContext, found: OneRequest) => SafeHtml;
      status?: { kind: 'ok' | 'error'; text: string };
      statusCode?: number;
    },
  ) => {
    const { t, viewer } = staffOf(request);
    const now = deps.now();
    const input = { communityId: deps.communityId, actor: viewer.actor, now };
    const found = await loadBindingRequest(deps.prisma, { ...input, number });
    const search =
      found.status === 'found' && found.request.status === 'pending' && options.q
        ? await searchRosterForRequest(deps.prisma, { ...input, q: options.q, page: options.page ?? 1 })
        : null;
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.requests.request_title', { number }),
      section: 'requests',
      statusCode: options.statusCode ?? (found.status === 'found' ? 200 : 404),
      ...(options.status ? { status: options.status } : {}),
      main: (csrfToken) => {
        const view = ctx(csrfToken);
        return requestView({ number, found, search, notice: options.notice ? options.notice(view, found) : null }, view);
      },
    });
  };

  scope.get<ListQuery>(REQUESTS_PATH, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const query = request.query;
    const list = await listBindingRequests(deps.prisma, {
      communityId: deps.communityId,
      actor: viewer.actor,
      status: requestStatusFilter(query.status),
      page: pageNumber(query.page),
      now: deps.now(),
    });
    const doneKey = typeof query.done === 'string' ? DONE_KEYS[query.done] : undefined;
    const doneNumber = typeof query.number === 'string' ? requestNumber(query.number) : null;
    const ctx = contextOf(request);
    return sendStaffPage(request, reply, {
      title: t('staffweb.requests.title'),
      section: 'requests',
      ...(doneKey && doneNumber ? { status: { kind: 'ok' as const, text: t(doneKey, { number: doneNumber }) } } : {}),
      main: (csrfToken) => requestsListView({ list }, ctx(csrfToken)),
    });
  });

  scope.get<OneQuery>(`${REQUESTS_PATH}/:number`, guarded, async (request, reply) => {
    const number = requestNumber(request.params.number);
    if (number === null) return sendNotFound(request, reply, 'requests');
    const typed = request.query.q;
    const q = typed === undefined ? null : typedText(typed);
    if (typed !== undefined && q === null) {
      const { t } = staffOf(request);
      return sendRequestPage(request, reply, number, { status: { kind: 'error', text: t('staffweb.errors.bad_form') }, statusCode: 400 });
    }
    return sendRequestPage(request, reply, number, { q, page: pageNumber(request.query.page) });
  });

  const decide = (decision: 'approve' | 'reject') => async (request: FastifyRequest<OneParams>, reply: FastifyReply) => {
    const number = requestNumber(request.params.number);
    if (number === null) return sendNotFound(request, reply, 'requests');
    const { t, viewer } = staffOf(request);
    const typed = decision === 'approve' ? approveBody.safeParse(request.body) : null;
    if (typed && !typed.success) return sendRequestPage(request, reply, number, { status: { kind: 'error', text: t('staffweb.errors.bad_form') }, statusCode: 400 });
    const householdCode = typed?.data?.household?.trim();
    const { outcome } = await decideBindingRequest(deps.prisma, {
      communityId: deps.communityId,
      actor: viewer.actor,
      number,
      decision,
      ...(householdCode ? { householdCode } : {}),
      notifier: deps.notifier,
      events: deps.events,
      outbox: deps.outbox,
      now: deps.now(),
    });
    if (outcome.status === 'approved' || outcome.status === 'rejected') {
      return reply.redirect(hrefWith(REQUESTS_PATH, { done: outcome.status, number }), 303);
    }
    const ctx = contextOf(request);
    return sendRequestPage(request, reply, number, { status: decisionStatus(number, outcome, ctx(''), householdCode), statusCode: refusalCode(outcome) });
  };

  scope.post<OneParams>(`${REQUESTS_PATH}/:number/approve`, posting, decide('approve'));
  scope.post<OneParams>(`${REQUESTS_PATH}/:number/reject`, posting, decide('reject'));

  scope.post<OneParams>(
    `${REQUESTS_PATH}/:number/phone`,
    { ...posting, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const number = requestNumber(request.params.number);
      if (number === null) return sendNotFound(request, reply, 'requests');
      const { viewer } = staffOf(request);
      const result = await revealRequestPhone(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, number, now: deps.now() });
      const statusCode = result.ok ? 200 : result.reason === 'not_found' ? 404 : 403;
      // Named as the person typed their name.
      const notice = (ctx: ViewContext, found: OneRequest) => revealedPhoneNotice(result, found.status === 'found' ? found.request.name : '', ctx);
      return sendRequestPage(request, reply, number, { notice, statusCode });
    },
  );
}
