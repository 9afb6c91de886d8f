/**
 * The inbox part of the console:
 *
 *   GET  /staff                                    the tickets the viewer may handle (filters, search, counts)
 *   GET  /staff/tickets/:number                    one ticket
 *   POST /staff/tickets/:number/actions/:action    reply, note, claim, assign, major, resolve, reopen, merge, reveal_phone
 *   POST /staff/tickets/:number/dispatch/:move     a repair job: reassign, take_over, cancel (`staffDispatch`)
 *
 * An action runs through the same path as the staff chat's (`runStaffAction`: policy, status
 * machine, audit, the resident told on whichever channel they used, `ticket.changed` for every
 * staff chat and open console page). Done: 303 back to the ticket with what was done in the
 * status line. Anything else: the ticket page with the reason and a 4xx (403 when the policy
 * refuses, 409 when the ticket changed meanwhile — each form carries the ticket's version, so the
 * same form posted twice acts once); a revealed phone is shown on that response
 * only, never in an address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { finishCommitted, transactionWithAfterCommit } from '../../db/after-commit.js';
import { sendDenied, sendNotFound } from '../shell/denied-page.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import { formText } from '../people/typed-input.js';
import { staffDispatch, type StaffDispatchOutcome } from '../../features/repairs/dispatch/service/staff-dispatch.js';
import { dispatchStatus, isStaffDispatchMove } from './ticket-dispatch-status.js';
import { findTicketByTypedNumber } from './ticket-search.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { isTicketPageAction, listFilterOptions, listTickets, loadStaffTicket, parseTicketListQuery, runTicketPageAction, ticketActionStatus, ticketHref, ticketListView, ticketPageView, type TicketActionOutcome } from './index.js';

/**
 * A ticket page's form. Text that cannot be stored (a NUL, a lone surrogate) is a bad form (400
 * with words), never a query that fails. `version` is the ticket's as the page showed it.
 */
const actionForm = z.object({
  _csrf: z.string().optional(),
  text: formText(10_000).optional(),
  assigneeId: formText(64).optional(),
  into: formText(64).optional(),
  version: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional(),
});

const STATUS_OF: Record<Exclude<TicketActionOutcome['status'], 'done'>, number> = {
  revealed: 200,
  unchanged: 200,
  invalid: 400,
  denied: 403,
  not_found: 404,
  refused: 409,
};

type TicketParams = { Params: { number: string }; Querystring: { done?: string; nobody?: string; dispatched?: string } };

const dispatchForm = z.object({ _csrf: z.string().optional(), memberId: formText(64).optional() });

const DISPATCH_STATUS_OF: Record<Exclude<StaffDispatchOutcome['status'], 'done'>, number> = {
  not_found: 404,
  not_now: 409,
  member_not_found: 400,
  member_ambiguous: 400,
  denied: 403,
};

export function registerInboxPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  const guard = { preHandler: requireStaff(deps) };

  scope.get<{ Querystring: Record<string, unknown> }>('/staff', guard, async (request, reply) => {
    const { viewer, t } = staffOf(request);
    const now = deps.now();
    const { filter, page } = parseTicketListQuery(request.query);
    const [list, options] = await Promise.all([
      listTickets(deps.prisma, { communityId: deps.communityId, actor: viewer.actor, filter, page, now }),
      listFilterOptions(deps.prisma, deps.communityId),
    ]);
    return sendStaffPage(request, reply, {
      title: t('staffweb.inbox.title'),
      section: 'inbox',
      main: (csrfToken) => ticketListView({ list, options }, { t, viewer, csrfToken, now }),
    });
  });

  scope.get<TicketParams>('/staff/tickets/:number', guard, async (request, reply) => {
    const done = request.query.done;
    const dispatched = request.query.dispatched;
    const status =
      done && isTicketPageAction(done) && done !== 'reveal_phone'
        ? ticketActionStatus(staffOf(request).t, { status: 'done', action: done, number: request.params.number, rows: [], nobodyTold: request.query.nobody === '1' })
        : dispatched && isStaffDispatchMove(dispatched)
          ? dispatchStatus(staffOf(request).t, { status: 'done', number: request.params.number, memberName: null }, dispatched)
          : undefined;
    return ticketPage(request, reply, status);
  });

  scope.post<{ Params: { number: string; move: string } }>(
    '/staff/tickets/:number/dispatch/:move',
    { preHandler: [requireStaff(deps), scope.csrfProtection], config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { viewer, t } = staffOf(request);
      const form = dispatchForm.safeParse(request.body);
      const move = request.params.move;
      if (!form.success || !isStaffDispatchMove(move)) return ticketPage(request, reply, { kind: 'error', text: t('staffweb.errors.bad_form') }, 400);
      const now = deps.now();
      // Committed even when refused: a refusal's audit row must stay.
      const committed = await transactionWithAfterCommit(
        deps.prisma,
        async (tx) => {
          const found = await findTicketByTypedNumber(tx, deps.communityId, request.params.number, now);
          const order = found ? await tx.workOrder.findUnique({ where: { ticketId: found.id }, select: { id: true } }) : null;
          if (!order) return { status: 'not_found' } as const;
          return staffDispatch(tx, deps.dispatch, { actor: viewer.actor, workOrderId: order.id, move, ...(form.data.memberId ? { memberId: form.data.memberId } : {}) });
        },
        { maxWait: 10_000, timeout: 20_000 },
      );
      await finishCommitted(committed, deps.outbox);
      const outcome = committed.value;
      if (outcome.status === 'done') return reply.redirect(`${ticketHref(outcome.number)}?dispatched=${move}`, 303);
      return ticketPage(request, reply, dispatchStatus(t, outcome, move), DISPATCH_STATUS_OF[outcome.status]);
    },
  );

  scope.post<{ Params: { number: string; action: string } }>(
    '/staff/tickets/:number/actions/:action',
    { preHandler: [requireStaff(deps), scope.csrfProtection], config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { viewer, t } = staffOf(request);
      const form = actionForm.safeParse(request.body);
      if (!form.success) return ticketPage(request, reply, { kind: 'error', text: t('staffweb.errors.bad_form') }, 400);
      const now = deps.now();
      const { _csrf: _token, ...fields } = form.data;
      // Committed even when refused: a refusal's audit row must stay.
      const committed = await transactionWithAfterCommit(deps.prisma, (tx) =>
        runTicketPageAction(tx, deps.tickets, { communityId: deps.communityId, actor: viewer.actor, number: request.params.number, action: request.params.action, form: fields, now }),
        // As a chat turn with effects may: a busy hour's actions wait for a connection rather than fail.
        { maxWait: 10_000, timeout: 20_000 },
      );
      const outcome = committed.value;
      await finishCommitted(committed, deps.outbox, outcome.status === 'done' ? outcome.rows : []);
      if (outcome.status === 'done') {
        return reply.redirect(`${ticketHref(outcome.number)}?done=${outcome.action}${outcome.nobodyTold ? '&nobody=1' : ''}`, 303);
      }
      const draft = fields.text ? { action: request.params.action, text: fields.text } : undefined;
      return ticketPage(request, reply, ticketActionStatus(t, outcome), STATUS_OF[outcome.status], draft);
    },
  );

  async function ticketPage(
    request: FastifyRequest<{ Params: { number: string } }>,
    reply: FastifyReply,
    status?: { kind: 'ok' | 'error'; text: string },
    statusCode = 200,
    draft?: { action: string; text: string },
  ) {
    const { viewer, t } = staffOf(request);
    const now = deps.now();
    // A refusal to look writes its audit row: committed with the read.
    const result = await deps.prisma.$transaction((tx) => loadStaffTicket(tx, { communityId: deps.communityId, actor: viewer.actor, number: request.params.number, now }));
    if (result.status === 'not_found') return sendNotFound(request, reply, 'inbox');
    if (result.status === 'forbidden') return sendDenied(request, reply, 'outside_your_area', 'inbox');
    return sendStaffPage(request, reply, {
      title: result.ticket.number,
      section: 'inbox',
      statusCode,
      ...(status ? { status } : {}),
      main: (csrfToken) => ticketPageView(result.ticket, { t, viewer, csrfToken, now, ...(draft ? { draft } : {}) }),
    });
  }
}
