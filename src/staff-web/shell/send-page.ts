/** Sends a signed-in staff member's page in the console's frame (layout.ts), with a fresh CSRF token. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import type { SafeHtml } from './html.js';
import { renderStaffPage, type NavSection } from './layout.js';
import { staffOf } from './staff-context.js';

export interface StaffPageContent {
  title: string;
  section: NavSection;
  /** The content, made with the token every form of the page must carry. */
  main: (csrfToken: string) => SafeHtml;
  status?: { kind: 'ok' | 'error'; text: string };
  statusCode?: number;
}

export function sendStaffPage(request: FastifyRequest, reply: FastifyReply, content: StaffPageContent): FastifyReply {
  const staff = staffOf(request);
  const csrfToken = reply.generateCsrf();
  return reply
    .code(content.statusCode ?? 200)
    .type('text/html; charset=utf-8')
    .send(
      renderStaffPage({
        t: staff.t,
        locale: staff.viewer.locale,
        communityName: staff.communityName,
        title: content.title,
        viewer: staff.viewer,
        csrfToken,
        section: content.section,
        ...(content.status ? { status: content.status } : {}),
        main: content.main(csrfToken),
      }),
    );
}
