/**
 * The notices part of the console (通知公告), built only on the notices service (it checks the
 * policy, audits refusals and writes every row):
 *
 *   GET  /staff/notices?q=…               the notices the staff member could send, newest first; a search (the archive's)
 *   GET  /staff/notices/new               the compose form, offering only what they may choose
 *   POST /staff/notices                   action=preview: the counts and the notice as read; action=send: create + confirm;
 *                                         action=save_audience: the chosen audience saved as a named list (then chosen);
 *                                         a file chosen on the form (multipart) is taken in by its bytes and kept across posts
 *   GET  /staff/notices/<number>          the notice, its status and delivery report (reloading while it sends)
 *   POST /staff/notices/<number>/retry    the failures sent again
 *   POST /staff/notices/<number>/cancel   a held or scheduled notice stopped
 *
 * Bad input answers 400 on the form with its words; a refusal 403 with the policy's words.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markedTitle } from '../../features/notices/archive/notice-marks.js';
import { searchNotices } from '../../features/notices/archive/archive-query.js';
import { wholeCommunityViewer } from '../../features/notices/archive/archive-viewer.js';
import { audienceSchema } from '../../features/notices/rules/audience.js';
import { parseNoticeSettings } from '../../features/notices/rules/notice-settings.js';
import { deliveryReport } from '../../features/notices/send/delivery-report.js';
import { draftProblem, type Refusal } from '../../features/notices/send/notice-service.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { typedText } from '../people/typed-input.js';
import { localMinute } from '../../features/tickets/scheduling/local-format.js';
import { hrefWith, type ViewContext } from '../people/view-parts.js';
import { sendDenied, sendNotFound } from '../shell/denied-page.js';
import { html } from '../shell/html.js';
import { sendStaffPage } from '../shell/send-page.js';
import { requireStaff, staffOf } from '../shell/staff-context.js';
import type { StaffWebDeps } from '../shell/staff-web-deps.js';
import { composeView, NOTICES_PATH, type ComposePreview, type Filled, type KeptFile } from './compose-view.js';
import { acceptMultipartForms, isUploadedFile } from './multipart-form.js';
import { MAX_ATTACHMENT_BYTES, takeDocumentBytes, type DocumentRefusal } from '../../channels/media/document-intake.js';
import { megabytes } from '../../channels/media/photo-refusal-answer.js';
import { storedAttachment } from '../../features/notices/send/notice-attachment.js';
import { mayChoose, maySendAny, noticeChoices } from './notice-choices.js';
import { audienceOf, composeBody, draftOf, PROBLEM_KEYS } from './notice-form.js';
import { noticePageView, noticesListView, type NoticeRow } from './notices-view.js';

const NUMBER = /^[A-Za-z]{1,4}-\d{4}-\d{1,6}$/;
const LISTED = 50;

type Status = { kind: 'ok' | 'error'; text: string };

/** The form's fields beside its file. */
const FORM_ROOM = 64 * 1024;

const FILE_PROBLEM_KEYS: Record<DocumentRefusal, string> = {
  too_large: 'staffweb.notices.problem.file_too_large',
  not_allowed: 'staffweb.notices.problem.file_type',
  download_failed: 'staffweb.notices.problem.file_unreadable',
};

export function registerNoticesPages(scope: FastifyInstance, deps: StaffWebDeps): void {
  acceptMultipartForms(scope);
  const guarded = { preHandler: requireStaff(deps) };
  const posting = { preHandler: [requireStaff(deps), scope.csrfProtection] };
  const choicesOf = (request: FastifyRequest) => deps.prisma.$transaction((tx) => noticeChoices(tx, staffOf(request).viewer.actor, deps.communityId, deps.now()));
  const refusalText = (request: FastifyRequest, refusal: Refusal) =>
    staffOf(request).t(refusal.reason === 'unknown_target' ? 'staffweb.notices.problem.unknown_target' : denialMessageKey(refusal.reason));

  const keptFile = (filled: Filled): KeptFile | null =>
    filled.attachment_ref && filled.attachment_name && filled.attachment_link ? { name: filled.attachment_name, href: filled.attachment_link } : null;

  const sendCompose = async (request: FastifyRequest, reply: FastifyReply, filled: Filled, options: { preview?: ComposePreview; status?: Status; statusCode?: number } = {}) => {
    const { t, viewer } = staffOf(request);
    const choices = await choicesOf(request);
    if (!maySendAny(choices)) return sendDenied(request, reply, 'role_required', 'notices');
    const now = deps.now();
    return sendStaffPage(request, reply, {
      title: t('staffweb.notices.new.title'),
      section: 'notices',
      ...(options.status ? { status: options.status } : {}),
      ...(options.statusCode ? { statusCode: options.statusCode } : {}),
      main: (csrfToken) => composeView(choices, filled, options.preview ?? null, { t, viewer, csrfToken, now }, keptFile(filled), megabytes(MAX_ATTACHMENT_BYTES)),
    });
  };

  /**
   * The form's file: one chosen now (taken in by its bytes and stored), else the one taken on an
   * earlier post (its signed address proves it is one of ours and the name is the one given),
   * unless the staff member left it out.
   */
  const attachmentOf = async (request: FastifyRequest, filled: Filled): Promise<{ attachment: { ref: string; name: string } | null } | { problem: string; vars?: Record<string, string> }> => {
    const upload = (request.body as Record<string, unknown>)['file'];
    if (isUploadedFile(upload)) {
      const taken = await takeDocumentBytes(upload.bytes, { dataDir: deps.dataDir, maxBytes: MAX_ATTACHMENT_BYTES, name: upload.name, fallbackName: staffOf(request).t('staffweb.notices.new.file_fallback') });
      if (!taken.ok) return { problem: FILE_PROBLEM_KEYS[taken.refusal], vars: { max: megabytes(MAX_ATTACHMENT_BYTES) } };
      return { attachment: { ref: taken.document.ref, name: taken.document.name } };
    }
    if (filled.remove_attachment === '1' || !filled.attachment_ref) return { attachment: null };
    const { attachment_ref: ref, attachment_name: name, attachment_link: link } = filled;
    if (!name || !link || deps.documentLink(ref, name) !== link) return { problem: 'staffweb.notices.problem.attachment' };
    return { attachment: { ref, name } };
  };

  const withFile = (filled: Filled, attachment: { ref: string; name: string } | null): Filled => {
    const { attachment_ref: _ref, attachment_name: _name, attachment_link: _link, remove_attachment: _removed, ...rest } = filled;
    return attachment ? { ...rest, attachment_ref: attachment.ref, attachment_name: attachment.name, attachment_link: deps.documentLink(attachment.ref, attachment.name) } : rest;
  };

  scope.get<{ Querystring: { q?: unknown } }>(NOTICES_PATH, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const query = (typedText(request.query.q) ?? '').trim();
    const now = deps.now();
    const choices = await choicesOf(request);
    const rows = await deps.prisma.$transaction(async (tx) => {
      let ids: string[] | null = null;
      if (query) {
        const community = await tx.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { noticeSettings: true } });
        const scopeOf = { viewer: wholeCommunityViewer(deps.communityId), now, archiveDays: parseNoticeSettings(community.noticeSettings).archiveDays };
        ids = (await searchNotices(tx, scopeOf, query, { offset: 0, limit: LISTED }, viewer.locale)).items.map((item) => item.id);
      }
      const notices = await tx.notice.findMany({
        where: { communityId: deps.communityId, status: { not: 'draft' }, ...(ids ? { id: { in: ids } } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: LISTED,
        select: { id: true, number: true, kind: true, title: true, status: true, sentAt: true, sendAt: true, bulkSendId: true, audience: true },
      });
      const order = ids ? new Map(ids.map((id, index) => [id, index])) : null;
      if (order) notices.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      return notices.filter((notice) => {
        const audience = audienceSchema.safeParse(notice.audience);
        return audience.success && mayChoose(audience.data, choices);
      });
    });
    const listed: NoticeRow[] = [];
    for (const notice of rows) {
      const report = await deliveryReport(deps.prisma, notice);
      listed.push({ ...notice, title: markedTitle(deps.translator, viewer.locale, notice, 'full'), delivered: report.delivered, total: report.total });
    }
    return sendStaffPage(request, reply, {
      title: t('staffweb.notices.title'),
      section: 'notices',
      main: (csrfToken) => noticesListView(listed, query, maySendAny(choices), { t, viewer, csrfToken, now }),
    });
  });

  scope.get(`${NOTICES_PATH}/new`, guarded, async (request, reply) => sendCompose(request, reply, {}));

  // The one form that may carry a file (20 MB): the sign-in is checked before its body is read,
  // so nobody signed out can make the server take in and parse that much.
  const postingWithFile = { onRequest: requireStaff(deps), preHandler: scope.csrfProtection, bodyLimit: MAX_ATTACHMENT_BYTES + FORM_ROOM };
  scope.post(NOTICES_PATH, postingWithFile, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const form = composeBody.safeParse(request.body);
    if (!form.success) return sendCompose(request, reply, {}, { status: { kind: 'error', text: t('staffweb.notices.problem.form') }, statusCode: 400 });
    const file = await attachmentOf(request, form.data);
    if ('problem' in file) return sendCompose(request, reply, withFile(form.data, null), { status: { kind: 'error', text: t(file.problem, file.vars ?? {}) }, statusCode: 400 });
    const filled = withFile(form.data, file.attachment);
    const actor = viewer.actor;
    if (filled.action === 'save_audience') {
      // The audience as chosen, saved under a name (checked and audited by the service), then chosen on the form instead.
      const name = (filled.save_as ?? '').trim();
      const saved = await deps.notices.saveAudience(actor, name, audienceOf(form.data));
      if (saved.status === 'denied') return sendCompose(request, reply, filled, { status: { kind: 'error', text: refusalText(request, saved) }, statusCode: 403 });
      if (saved.status === 'invalid') return sendCompose(request, reply, filled, { status: { kind: 'error', text: t(PROBLEM_KEYS[saved.problem] ?? 'staffweb.notices.problem.form') }, statusCode: 400 });
      const chosen: Filled = { ...filled, everyone: undefined, areas: [], groups: [], roles: [], priority: undefined, saved: saved.id, save_as: '' };
      return sendCompose(request, reply, chosen, { status: { kind: 'ok', text: t('staffweb.notices.saved_done', { name }) } });
    }
    const typed = draftOf(form.data, viewer.timezone);
    if ('problem' in typed) return sendCompose(request, reply, filled, { status: { kind: 'error', text: t(typed.problem) }, statusCode: 400 });
    const draft = { ...typed.draft, attachment: file.attachment };
    const problem = draftProblem(draft);
    if (problem) return sendCompose(request, reply, filled, { status: { kind: 'error', text: t(PROBLEM_KEYS[problem] ?? 'staffweb.notices.problem.form') }, statusCode: 400 });
    if (filled.action === 'preview') {
      const outcome = await deps.notices.preview(actor, { audience: draft.audience, via: draft.via, perHousehold: draft.perHousehold });
      if (outcome.status === 'denied') return sendCompose(request, reply, filled, { status: { kind: 'error', text: refusalText(request, outcome) }, statusCode: 403 });
      if (outcome.status !== 'ok') return sendCompose(request, reply, filled, { status: { kind: 'error', text: t('staffweb.notices.problem.audience') }, statusCode: 400 });
      const preview: ComposePreview = { counts: outcome.counts, title: markedTitle(deps.translator, viewer.locale, { kind: draft.kind, title: draft.title.trim() }, 'full'), body: draft.body.trim() };
      return sendCompose(request, reply, filled, { preview });
    }
    const created = await deps.notices.create(actor, draft);
    if (created.status === 'denied') return sendCompose(request, reply, filled, { status: { kind: 'error', text: refusalText(request, created) }, statusCode: 403 });
    if (created.status === 'invalid') return sendCompose(request, reply, filled, { status: { kind: 'error', text: t(PROBLEM_KEYS[created.problem] ?? 'staffweb.notices.problem.form') }, statusCode: 400 });
    const confirmed = await deps.notices.confirm(actor, created.noticeId);
    if (confirmed.status === 'denied') return sendCompose(request, reply, filled, { status: { kind: 'error', text: refusalText(request, confirmed) }, statusCode: 403 });
    return reply.redirect(hrefWith(`${NOTICES_PATH}/${created.number}`, { done: confirmed.status === 'not_found' ? null : confirmed.status }), 303);
  });

  /** The notice of an address's number, or null (no such shape, no such notice of this community). */
  const noticeOf = (number: string) =>
    NUMBER.test(number)
      ? deps.prisma.notice.findFirst({ where: { communityId: deps.communityId, number }, select: { id: true, number: true, kind: true, title: true, body: true, status: true, sentAt: true, sendAt: true, attachment: true } })
      : Promise.resolve(null);

  scope.get<{ Params: { number: string }; Querystring: { done?: unknown; count?: unknown } }>(`${NOTICES_PATH}/:number`, guarded, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const notice = await noticeOf(request.params.number);
    if (!notice) return sendNotFound(request, reply, 'notices');
    const reported = await deps.notices.report(viewer.actor, notice.id);
    if (reported.status === 'not_found') return sendNotFound(request, reply, 'notices');
    if (reported.status === 'denied') return reported.reason === 'unknown_target' ? sendNotFound(request, reply, 'notices') : sendDenied(request, reply, reported.reason, 'notices');
    const now = deps.now();
    const ctx = (csrfToken: string): ViewContext => ({ t, viewer, csrfToken, now });
    const done = typeof request.query.done === 'string' ? request.query.done : null;
    const count = typeof request.query.count === 'string' && /^\d{1,6}$/.test(request.query.count) ? Number(request.query.count) : 0;
    const file = storedAttachment(notice.attachment);
    const page = { ...notice, title: markedTitle(deps.translator, viewer.locale, notice, 'full'), report: reported.report, attachment: file ? { name: file.name, href: deps.documentLink(file.ref, file.name) } : null };
    const doneText = (() => {
      if (done === 'sent') return t('staffweb.notices.done.sent');
      if (done === 'held' && notice.sendAt) return `${t('staffweb.notices.done.held')}${localMinute(notice.sendAt, viewer.timezone)}`;
      if (done === 'scheduled' && notice.sendAt) return `${t('staffweb.notices.done.scheduled')}${localMinute(notice.sendAt, viewer.timezone)}`;
      if (done === 'retried') return t('staffweb.notices.done.retried', { count });
      if (done === 'nothing') return t('staffweb.notices.done.nothing');
      if (done === 'cancelled') return t('staffweb.notices.done.cancelled');
      if (done === 'already') return t('staffweb.notices.done.already');
      return null;
    })();
    return sendStaffPage(request, reply, {
      title: `${notice.number}｜${page.title}`,
      section: 'notices',
      ...(doneText ? { status: { kind: 'ok' as const, text: doneText } } : {}),
      main: (csrfToken) => noticePageView(page, ctx(csrfToken)),
    });
  });

  scope.post<{ Params: { number: string } }>(`${NOTICES_PATH}/:number/retry`, posting, async (request, reply) => {
    const { viewer } = staffOf(request);
    const notice = await noticeOf(request.params.number);
    if (!notice) return sendNotFound(request, reply, 'notices');
    const outcome = await deps.notices.retryFailures(viewer.actor, notice.id);
    if (outcome.status === 'not_found') return sendNotFound(request, reply, 'notices');
    if (outcome.status === 'denied') return refused(request, reply, outcome);
    return reply.redirect(hrefWith(`${NOTICES_PATH}/${notice.number}`, { done: outcome.status, count: outcome.status === 'retried' ? outcome.count : null }), 303);
  });

  scope.post<{ Params: { number: string } }>(`${NOTICES_PATH}/:number/cancel`, posting, async (request, reply) => {
    const { t, viewer } = staffOf(request);
    const notice = await noticeOf(request.params.number);
    if (!notice) return sendNotFound(request, reply, 'notices');
    const outcome = await deps.notices.cancel(viewer.actor, notice.id);
    if (outcome.status === 'not_found') return sendNotFound(request, reply, 'notices');
    if (outcome.status === 'denied') return refused(request, reply, outcome);
    if (outcome.status === 'too_late') {
      return sendStaffPage(request, reply, {
        title: t('staffweb.notices.title'),
        section: 'notices',
        statusCode: 409,
        status: { kind: 'error', text: t('staffweb.notices.done.too_late') },
        main: () => html`<h1>${notice.number}</h1><p><a href="${NOTICES_PATH}/${notice.number}">${t('staffweb.notices.back')}</a></p>`,
      });
    }
    return reply.redirect(hrefWith(`${NOTICES_PATH}/${notice.number}`, { done: 'cancelled' }), 303);
  });

  const refused = (request: FastifyRequest, reply: FastifyReply, refusal: Refusal) =>
    refusal.reason === 'unknown_target' ? sendNotFound(request, reply, 'notices') : sendDenied(request, reply, refusal.reason, 'notices');
}
