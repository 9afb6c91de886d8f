/** The page a staff member gets when the policy refuses them: the policy's own words, status 403. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { denialMessageKey, type DenialReason } from '../../features/policy/denials.js';
import { html } from './html.js';
import type { NavSection } from './layout.js';
import { sendStaffPage } from './send-page.js';
import { staffOf } from './staff-context.js';

export function sendDenied(request: FastifyRequest, reply: FastifyReply, reason: DenialReason, section: NavSection): FastifyReply {
  const { t } = staffOf(request);
  const text = t(denialMessageKey(reason));
  return sendStaffPage(request, reply, {
    title: t('staffweb.errors.denied_title'),
    section,
    statusCode: 403,
    status: { kind: 'error', text },
    main: () => html`<h1>${t('staffweb.errors.denied_title')}</h1>`,
  });
}

/** 404 in the console's frame. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply, section: NavSection): FastifyReply {
  const { t } = staffOf(request);
  return sendStaffPage(request, reply, {
    title: t('staffweb.errors.not_found'),
    section,
    statusCode: 404,
    main: () => html`<h1>${t('staffweb.errors.not_found')}</h1><p><a href="/staff">${t('staffweb.inbox.title')}</a></p>`,
  });
}
