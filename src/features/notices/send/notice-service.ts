/**
 * Sending notices (通知公告): the one service the staff chat, a group head's private chat and the
 * web console all call. Each call takes the acting person (`Actor`) and checks the policy itself
 * (refusals audited), so no caller can send further than its actor may.
 *
 * The life of a notice:
 *   create (draft, numbered TZ-YYYY-NNNNN) → preview counts → confirm →
 *     now, outside quiet hours (or an alert):   messages written at once (status `sent`)
 *     now, inside quiet hours:                   `held`, sent when they end (`sendAt` = the end)
 *     at a later time:                           `scheduled`; at that time, quiet hours apply again
 *   report (delivered / unreachable / failed with reasons) → retry the failures.
 *
 * Held and scheduled notices are delayed jobs (`notice-sends`, keyed by notice id and time): the
 * job's send is a guarded update of the notice's status in the transaction that writes every
 * message, so a repeated job, a second worker or a restart sends nothing twice, and a lost job
 * is added again by the sweep at start (`NoticeSends.sweep`).
 *
 * @example
 * const service = new NoticeService(deps);
 * const draft = await service.create(actor, { kind: 'notice', title, body, audience: { areaIds: [lane] }, via: 'both', perHousehold: true });
 * if (draft.status === 'created') {
 *   const counts = draft.counts; // people, households, chats, unreachable
 *   const confirmed = await service.confirm(actor, draft.noticeId, { statusChat });
 * }
 */
import type { ButtonMaker } from '../../../buttons/button-registry.js';
import type { ChannelCapabilities } from '../../../channels/types.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../db/after-commit.js';
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { EventPublisher } from '../../../events/index.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import { keepNumberedActions } from '../../../notify/numbered-actions.js';
import { createBulkSend, type BulkRecipient } from '../../../outbox/bulk-send.js';
import { PRIORITY_ALERT, PRIORITY_BULK, type QueuedOutboxRow } from '../../../outbox/outbox.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { resolveAudience, withSavedAudience } from '../audience/resolve-audience.js';
import { audienceSchema, countRecipients, pickRecipients, type Audience, type AudienceCounts, type NoticeRecipient, type NoticeVia } from '../rules/audience.js';
import { nextNoticeNumber } from '../archive/archived-notice-writer.js';
import { noticeSearchText } from '../archive/notice-search-text.js';
import { parseNoticeSettings } from '../rules/notice-settings.js';
import { quietHoursEnd } from '../rules/quiet-hours.js';
import { renderNotice, storedVersions, type RenderableNotice } from './notice-message.js';
import { attachmentProblem, storedAttachment, type NoticeAttachment } from './notice-attachment.js';
import { documentFileName, documentSize, mimeForDocumentFile } from '../../../channels/media/document-files.js';
import type { DocumentLink } from '../../../channels/media/document-links.js';
import { checkSender, type SenderCheck } from './sender-policy.js';
import { readStatusMessage, writeFirstStatus } from './notice-progress.js';
import { deliveryReport, type DeliveryReport } from './delivery-report.js';
import '../notice-events.js';

/** What the service needs; the notices module builds one from its `FeatureContext`, the console may build its own. */
export interface NoticeServiceDeps {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  buttons: ButtonMaker;
  events: EventPublisher;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  /** A channel's capabilities wherever it runs (its adapter's declaration): buttons, photos, chat order. */
  capabilitiesOf: (channel: string) => ChannelCapabilities | undefined;
  textLimitOf: (channel: string) => number;
  /** A stored file's download address (for a channel that cannot carry the notice's file). */
  documentLink: DocumentLink;
  /** Where stored files are (`DATA_DIR`): an attachment must be one of them. */
  dataDir: string;
  /** Puts a held or scheduled notice's delayed job in place (after the commit). */
  schedule: (noticeId: string, sendAt: Date) => Promise<void>;
  /** Starts following a sent notice's status message (after the commit); absent: nobody follows. */
  followProgress?: (noticeId: string) => Promise<void>;
  now?: () => Date;
}

/** notice | disclosure (decisions, accounts) | alert (an emergency: ahead of every bulk send, no quiet hours, answer buttons). */
export type NoticeKind = 'notice' | 'disclosure' | 'alert';

/** A notice as its author writes it. */
export interface NoticeDraft {
  kind: NoticeKind;
  title: string;
  body: string;
  /** The language `title` and `body` are in; default the community's. */
  locale?: string;
  /** The same notice in other languages: `{ en: { title, body } }`; each person gets theirs. */
  versions?: Record<string, { title: string; body: string }>;
  /** A stored photo (as chat photos are stored) sent with the text. */
  photoRef?: string | null;
  /**
   * A stored file (a document the intake took: `files/<file>`) sent with the notice, under the
   * name people see; `notice-attachment.ts`.
   */
  attachment?: { ref: string; name: string } | null;
  audience: Audience;
  via: NoticeVia;
  /** One message per household (its first reachable member) instead of one per person. */
  perHousehold: boolean;
  /** Carries a "收到" button; alerts always carry their answers. */
  asksConfirmation?: boolean;
  /** When to send; absent or past: when confirmed. */
  sendAt?: Date | null;
}

/** Where the sender follows the send (their chat): the status message is written and edited there. */
export interface StatusChat {
  channel: string;
  chatId: string;
  chatAccountId: string | null;
  locale: string;
}

export type Refusal = { status: 'denied'; reason: Exclude<SenderCheck, { allowed: true }>['reason'] };

export type PreviewOutcome = { status: 'ok'; counts: AudienceCounts } | Refusal | { status: 'invalid'; problem: string } | { status: 'not_found' };
export type CreateOutcome = { status: 'created'; noticeId: string; number: string; counts: AudienceCounts } | Refusal | { status: 'invalid'; problem: string };
export type ConfirmOutcome =
  | { status: 'sent'; noticeId: string; number: string; recipients: number; rows: QueuedOutboxRow[] }
  | { status: 'held'; noticeId: string; number: string; until: Date }
  | { status: 'scheduled'; noticeId: string; number: string; sendAt: Date }
  | { status: 'already'; noticeId: string; number: string; noticeStatus: string }
  | { status: 'not_found' }
  | Refusal;
export type AttachOutcome =
  | { status: 'attached'; noticeId: string; number: string; kind: string; title: string; attachment: NoticeAttachment; counts: AudienceCounts }
  | { status: 'not_draft'; number: string }
  | { status: 'invalid' }
  | { status: 'not_found' }
  | Refusal;
export type RetryOutcome = { status: 'retried'; count: number; rows: QueuedOutboxRow[] } | { status: 'nothing' } | { status: 'not_found' } | Refusal;

const TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 30_000 };
const TITLE_MAX = 200;
const BODY_MAX = 8_000;

export class NoticeService {
  constructor(private readonly deps: NoticeServiceDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * How many people, households and chats `audience` reaches, after the policy's check for the
   * actor (a refusal is audited). Writes nothing else.
   */
  async preview(actor: Actor, choice: { audience: unknown; via: NoticeVia; perHousehold: boolean }): Promise<PreviewOutcome> {
    const parsed = audienceSchema.safeParse(choice.audience);
    if (!parsed.success) return { status: 'invalid', problem: 'audience' };
    return this.deps.prisma.$transaction(async (tx) => {
      const audience = await withSavedAudience(tx, this.deps.communityId, parsed.data);
      if (!audience) return { status: 'not_found' as const };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId: null, now: this.now() });
      if (!check.allowed) return { status: 'denied' as const, reason: check.reason };
      const { counts } = await this.recipientsOf(tx, audience, choice.via, choice.perHousehold);
      return { status: 'ok' as const, counts };
    }, TRANSACTION_OPTIONS);
  }

  /** Writes the draft (numbered, audited) after the policy's check; returns the preview's counts. */
  async create(actor: Actor, draft: NoticeDraft): Promise<CreateOutcome> {
    const problem = draftProblem(draft);
    if (problem) return { status: 'invalid', problem };
    const audienceParsed = audienceSchema.parse(draft.audience);
    const now = this.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const community = await tx.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { timezone: true, defaultLocale: true, noticeSettings: true } });
      const audience = await withSavedAudience(tx, this.deps.communityId, audienceParsed);
      if (!audience) return { status: 'invalid' as const, problem: 'audience' };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId: null, now });
      if (!check.allowed) return { status: 'denied' as const, reason: check.reason };
      // One counter for every notice, the system's too (the archive's writer).
      const number = await nextNoticeNumber(tx, this.deps.communityId, now, community.timezone);
      const settings = parseNoticeSettings(community.noticeSettings);
      const kind = draft.kind;
      const expiresAt = kind === 'notice' && settings.archiveDays !== null ? new Date(now.getTime() + settings.archiveDays * 86_400_000) : null;
      const versions = draft.versions ?? {};
      const attachment = draft.attachment ? await this.attachmentOf(draft.attachment) : null;
      if (draft.attachment && !attachment) return { status: 'invalid' as const, problem: 'attachment' };
      const notice = await tx.notice.create({
        data: {
          communityId: this.deps.communityId,
          number,
          kind,
          authorId: actor.kind === 'person' ? actor.residentId : null,
          locale: draft.locale ?? community.defaultLocale,
          title: draft.title.trim(),
          body: draft.body.trim(),
          versions,
          photoRef: draft.photoRef ?? null,
          ...(attachment ? { attachment: attachment as object } : {}),
          audience: draft.audience,
          via: draft.via,
          perHousehold: draft.perHousehold,
          asksConfirmation: kind === 'alert' || (draft.asksConfirmation ?? false),
          sendAt: draft.sendAt && draft.sendAt.getTime() > now.getTime() ? draft.sendAt : null,
          expiresAt,
          searchText: noticeSearchText({ title: draft.title.trim(), body: draft.body.trim(), versions }),
        },
        select: { id: true },
      });
      await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.create', subjectType: 'notice', subjectId: notice.id, details: { kind, via: draft.via } });
      const { counts } = await this.recipientsOf(tx, audience, draft.via, draft.perHousehold);
      return { status: 'created' as const, noticeId: notice.id, number, counts };
    }, TRANSACTION_OPTIONS);
  }

  /**
   * Puts a file on a draft (a document sent after `/notice`), replacing any it had: only while
   * it is a draft, and only by someone who may send to its audience (checked and audited like
   * the rest). Returns the preview's counts again.
   */
  async attach(actor: Actor, noticeId: string, given: { ref: string; name: string }): Promise<AttachOutcome> {
    const attachment = await this.attachmentOf(given);
    if (!attachment) return { status: 'invalid' };
    return this.deps.prisma.$transaction(async (tx): Promise<AttachOutcome> => {
      const notice = await tx.notice.findFirst({ where: { id: noticeId, communityId: this.deps.communityId } });
      if (!notice) return { status: 'not_found' };
      const audience = await withSavedAudience(tx, this.deps.communityId, audienceSchema.parse(notice.audience));
      if (!audience) return { status: 'not_found' };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId, now: this.now() });
      if (!check.allowed) return { status: 'denied', reason: check.reason };
      const updated = await tx.notice.updateMany({ where: { id: noticeId, status: 'draft' }, data: { attachment: attachment as object } });
      if (updated.count === 0) return { status: 'not_draft', number: notice.number };
      await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.attach', subjectType: 'notice', subjectId: noticeId, details: { mime: attachment.mime, bytes: attachment.bytes } });
      const { counts } = await this.recipientsOf(tx, audience, notice.via as NoticeVia, notice.perHousehold);
      return { status: 'attached', noticeId, number: notice.number, kind: notice.kind, title: notice.title, attachment, counts };
    }, TRANSACTION_OPTIONS);
  }

  /** The newest draft `residentId` wrote since `since` (the one a file sent in chat is for), if any. */
  async latestDraftOf(residentId: string, since: Date): Promise<{ id: string } | null> {
    return this.deps.prisma.notice.findFirst({
      where: { communityId: this.deps.communityId, authorId: residentId, status: 'draft', createdAt: { gte: since } },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    });
  }

  /**
   * Confirms a draft: sends it now, holds it to the end of quiet hours (not an alert), or
   * schedules it for its `sendAt`. The policy is checked again with the notice's own audience
   * (a button pressed by someone else, a form naming another notice). `statusChat`: where the
   * sender follows the progress (the status message is written there when the messages are).
   */
  async confirm(actor: Actor, noticeId: string, options: { statusChat?: StatusChat } = {}): Promise<ConfirmOutcome> {
    const now = this.now();
    const committed = await transactionWithAfterCommit(this.deps.prisma, async (tx): Promise<ConfirmOutcome> => {
      const notice = await tx.notice.findFirst({ where: { id: noticeId, communityId: this.deps.communityId } });
      if (!notice) return { status: 'not_found' };
      const audience = await withSavedAudience(tx, this.deps.communityId, audienceSchema.parse(notice.audience));
      if (!audience) return { status: 'not_found' };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId, now });
      if (!check.allowed) return { status: 'denied', reason: check.reason };
      if (notice.status !== 'draft') return { status: 'already', noticeId, number: notice.number, noticeStatus: notice.status };
      const statusMessage = options.statusChat ? { ...options.statusChat } : undefined;
      const due = await this.dueTime(tx, notice.kind, notice.sendAt ?? now, now);
      if (due.getTime() > now.getTime()) {
        const status = notice.sendAt && notice.sendAt.getTime() > now.getTime() && due.getTime() === notice.sendAt.getTime() ? 'scheduled' : 'held';
        const moved = await tx.notice.updateMany({ where: { id: noticeId, status: 'draft' }, data: { status, sendAt: due, ...(statusMessage ? { statusMessage } : {}) } });
        if (moved.count === 0) return { status: 'already', noticeId, number: notice.number, noticeStatus: 'sending' };
        await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.confirm', subjectType: 'notice', subjectId: noticeId, details: { status } });
        return status === 'held' ? { status: 'held', noticeId, number: notice.number, until: due } : { status: 'scheduled', noticeId, number: notice.number, sendAt: due };
      }
      if (statusMessage) await tx.notice.update({ where: { id: noticeId }, data: { statusMessage } });
      await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.confirm', subjectType: 'notice', subjectId: noticeId, details: { status: 'sent' } });
      const sent = await this.sendIn(tx, noticeId, ['draft'], now);
      return sent ?? { status: 'already', noticeId, number: notice.number, noticeStatus: 'sending' };
    }, TRANSACTION_OPTIONS);
    const outcome = committed.value;
    await finishCommitted(committed, this.deps.outbox, outcome.status === 'sent' ? outcome.rows : []);
    if (outcome.status === 'sent' && options.statusChat) await this.deps.followProgress?.(noticeId);
    if (outcome.status === 'held' || outcome.status === 'scheduled') await this.deps.schedule(noticeId, outcome.status === 'held' ? outcome.until : outcome.sendAt);
    this.deps.logger.info({ noticeId, status: outcome.status, ...(outcome.status === 'sent' ? { recipients: outcome.recipients } : {}) }, 'notice confirmed');
    return outcome;
  }

  /** Cancels a draft, or a held or scheduled notice, before it goes (its delayed job finds it cancelled). */
  async cancel(actor: Actor, noticeId: string): Promise<{ status: 'cancelled' | 'not_found' | 'too_late' } | Refusal> {
    const now = this.now();
    return this.deps.prisma.$transaction(async (tx) => {
      const notice = await tx.notice.findFirst({ where: { id: noticeId, communityId: this.deps.communityId }, select: { audience: true } });
      if (!notice) return { status: 'not_found' as const };
      const audience = await withSavedAudience(tx, this.deps.communityId, audienceSchema.parse(notice.audience));
      if (!audience) return { status: 'not_found' as const };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId, now });
      if (!check.allowed) return { status: 'denied' as const, reason: check.reason };
      const moved = await tx.notice.updateMany({ where: { id: noticeId, status: { in: ['draft', 'held', 'scheduled'] } }, data: { status: 'cancelled' } });
      if (moved.count === 0) return { status: 'too_late' as const };
      await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.cancel', subjectType: 'notice', subjectId: noticeId });
      return { status: 'cancelled' as const };
    });
  }

  /**
   * The delayed job's send of a held or scheduled notice: at `sendAt` (the job's own time; a
   * notice moved since has a job of its own), unless quiet hours began meanwhile — then it is
   * held again to their end. Returns what happened; sends nothing twice.
   */
  async sendDue(noticeId: string, sendAt: Date): Promise<'sent' | 'held' | 'stale' | 'early'> {
    const now = this.now();
    const committed = await transactionWithAfterCommit(this.deps.prisma, async (tx): Promise<{ outcome: 'sent' | 'held' | 'stale' | 'early'; rows: QueuedOutboxRow[]; until?: Date }> => {
      const notice = await tx.notice.findFirst({ where: { id: noticeId, communityId: this.deps.communityId }, select: { status: true, sendAt: true, kind: true } });
      if (!notice || !['held', 'scheduled'].includes(notice.status) || notice.sendAt?.getTime() !== sendAt.getTime()) return { outcome: 'stale', rows: [] };
      if (now.getTime() < sendAt.getTime()) return { outcome: 'early', rows: [] };
      const due = await this.dueTime(tx, notice.kind, now, now);
      if (due.getTime() > now.getTime()) {
        await tx.notice.updateMany({ where: { id: noticeId, status: notice.status, sendAt }, data: { status: 'held', sendAt: due } });
        return { outcome: 'held', rows: [], until: due };
      }
      const sent = await this.sendIn(tx, noticeId, ['held', 'scheduled'], now);
      return sent ? { outcome: 'sent', rows: sent.rows } : { outcome: 'stale', rows: [] };
    }, TRANSACTION_OPTIONS);
    await finishCommitted(committed, this.deps.outbox, committed.value.rows);
    if (committed.value.until) await this.deps.schedule(noticeId, committed.value.until);
    if (committed.value.outcome === 'sent') await this.deps.followProgress?.(noticeId);
    this.deps.logger.info({ noticeId, outcome: committed.value.outcome, recipients: committed.value.rows.length }, 'notice due');
    return committed.value.outcome;
  }

  /**
   * Where the notice's delivery stands: delivered, unreachable, failed by reason, still going (per
   * chat). For whoever may send to its audience (the policy's check, a refusal audited).
   */
  async report(actor: Actor, noticeId: string): Promise<{ status: 'ok'; report: DeliveryReport } | { status: 'not_found' } | Refusal> {
    const checked = await this.deps.prisma.$transaction(async (tx) => {
      const notice = await tx.notice.findFirst({ where: { id: noticeId, communityId: this.deps.communityId }, select: { id: true, number: true, status: true, bulkSendId: true, audience: true } });
      if (!notice) return { status: 'not_found' as const };
      const audience = await withSavedAudience(tx, this.deps.communityId, audienceSchema.parse(notice.audience));
      if (!audience) return { status: 'not_found' as const };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId, now: this.now() });
      if (!check.allowed) return { status: 'denied' as const, reason: check.reason };
      return { status: 'ok' as const, notice };
    });
    if (checked.status !== 'ok') return checked;
    return { status: 'ok', report: await deliveryReport(this.deps.prisma, checked.notice) };
  }

  /**
   * Sends the failed messages again: those the platform refused or gave up on after retries, or
   * whose channel was missing, and those to a recipient marked unreachable who has since become
   * reachable again (wrote to the bot). Audited; the policy as for sending the notice.
   */
  async retryFailures(actor: Actor, noticeId: string): Promise<RetryOutcome> {
    const now = this.now();
    const outcome = await this.deps.prisma.$transaction(async (tx): Promise<RetryOutcome> => {
      const notice = await tx.notice.findFirst({ where: { id: noticeId, communityId: this.deps.communityId }, select: { audience: true, bulkSendId: true } });
      if (!notice) return { status: 'not_found' };
      const audience = await withSavedAudience(tx, this.deps.communityId, audienceSchema.parse(notice.audience));
      if (!audience) return { status: 'not_found' };
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience, noticeId, now });
      if (!check.allowed) return { status: 'denied', reason: check.reason };
      if (!notice.bulkSendId) return { status: 'nothing' };
      const retried = await tx.$queryRaw<{ id: string; priority: number; channel: string; chatId: string }[]>`
        UPDATE "OutboxMessage" o SET status = 'pending', "failureKind" = NULL, "lastError" = NULL, attempts = 0,
          "enqueuedAt" = NULL, "claimedAt" = NULL
        WHERE o."bulkSendId" = ${notice.bulkSendId} AND o.status = 'failed'
          AND (o."failureKind" IS DISTINCT FROM 'unreachable'
               OR (o."chatAccountId" IS NOT NULL AND EXISTS (
                 SELECT 1 FROM "ChatAccount" a WHERE a.id = o."chatAccountId" AND a."unreachableAt" IS NULL)))
        RETURNING o.id, o.priority, o.channel, o."chatId"`;
      if (retried.length === 0) return { status: 'nothing' };
      // The sender's status message follows the retried messages to a new report.
      const status = readStatusMessage((await tx.notice.findUniqueOrThrow({ where: { id: noticeId }, select: { statusMessage: true } })).statusMessage);
      if (status?.reported) await tx.notice.update({ where: { id: noticeId }, data: { statusMessage: { ...status, reported: false } as object } });
      await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.retry', subjectType: 'notice', subjectId: noticeId, details: { count: retried.length } });
      return { status: 'retried', count: retried.length, rows: retried.map((row) => ({ id: row.id, priority: row.priority, channel: row.channel, chatId: row.chatId })) };
    });
    if (outcome.status === 'retried') {
      await this.deps.outbox.dispatch(outcome.rows);
      await this.deps.followProgress?.(noticeId);
    }
    return outcome;
  }

  /**
   * Saves an audience under a name to send to again ("heating committee"), after the policy's
   * check that the actor may send to it (a refusal audited); the same name replaces the list.
   */
  async saveAudience(actor: Actor, name: string, audience: unknown): Promise<{ status: 'saved'; id: string } | Refusal | { status: 'invalid'; problem: string }> {
    const parsed = audienceSchema.safeParse(audience);
    const trimmed = name.trim();
    if (!parsed.success || parsed.data.savedAudienceId) return { status: 'invalid', problem: 'audience' };
    if (!trimmed || trimmed.length > TITLE_MAX) return { status: 'invalid', problem: 'name' };
    return this.deps.prisma.$transaction(async (tx) => {
      const check = await checkSender(tx, { communityId: this.deps.communityId, actor, audience: parsed.data, noticeId: null, now: this.now() });
      if (!check.allowed) return { status: 'denied' as const, reason: check.reason };
      const createdById = actor.kind === 'person' ? actor.residentId : null;
      const row = await tx.savedAudience.upsert({
        where: { communityId_name: { communityId: this.deps.communityId, name: trimmed } },
        create: { communityId: this.deps.communityId, name: trimmed, audience: parsed.data, createdById },
        update: { audience: parsed.data },
        select: { id: true },
      });
      await recordAudit(tx, { communityId: this.deps.communityId, actor, action: 'notice.save_audience', subjectType: 'saved_audience', subjectId: row.id });
      return { status: 'saved' as const, id: row.id };
    });
  }

  /** The saved audiences, by name (what a form offers to pick). */
  async savedAudiences(): Promise<{ id: string; name: string; audience: Audience }[]> {
    const rows = await this.deps.prisma.savedAudience.findMany({ where: { communityId: this.deps.communityId }, orderBy: { name: 'asc' }, select: { id: true, name: true, audience: true } });
    return rows.flatMap((row) => {
      const parsed = audienceSchema.safeParse(row.audience);
      return parsed.success ? [{ id: row.id, name: row.name, audience: parsed.data }] : [];
    });
  }

  /** Held and scheduled notices, for the sweep that puts their jobs back after a restart. */
  async waiting(): Promise<{ id: string; sendAt: Date }[]> {
    const rows = await this.deps.prisma.notice.findMany({
      where: { communityId: this.deps.communityId, status: { in: ['held', 'scheduled'] }, sendAt: { not: null } },
      select: { id: true, sendAt: true },
    });
    return rows.map((row) => ({ id: row.id, sendAt: row.sendAt! }));
  }

  /** When a notice of `kind` wanted at `wanted` may go: later when that falls in quiet hours (never for an alert). */
  private async dueTime(tx: Tx, kind: string, wanted: Date, now: Date): Promise<Date> {
    const at = wanted.getTime() > now.getTime() ? wanted : now;
    if (kind === 'alert') return at;
    const community = await tx.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { timezone: true, noticeSettings: true } });
    return quietHoursEnd(at, parseNoticeSettings(community.noticeSettings).quietHours, community.timezone) ?? at;
  }

  private async recipientsOf(tx: Tx, audience: Audience, via: NoticeVia, perHousehold: boolean): Promise<{ recipients: NoticeRecipient[]; counts: AudienceCounts }> {
    const community = await tx.community.findUniqueOrThrow({ where: { id: this.deps.communityId }, select: { defaultLocale: true } });
    const resolved = await resolveAudience(tx, audience, {
      communityId: this.deps.communityId,
      defaultLocale: community.defaultLocale,
      now: this.now(),
      channelOrder: (channel) => this.deps.capabilitiesOf(channel)?.chatOrder ?? Number.MAX_SAFE_INTEGER,
    });
    const recipients = pickRecipients(resolved.members, resolved.chats, { via, perHousehold });
    return { recipients, counts: countRecipients(resolved.members, recipients, perHousehold) };
  }

  /** The attachment as kept on the notice: one of our stored files, still there; null otherwise. */
  private async attachmentOf(given: { ref: string; name: string }): Promise<NoticeAttachment | null> {
    if (attachmentProblem(given)) return null;
    const bytes = await documentSize(this.deps.dataDir, given.ref);
    if (bytes === undefined) return null;
    return { ref: given.ref, name: given.name.trim(), mime: mimeForDocumentFile(documentFileName(given.ref)!), bytes };
  }

  /**
   * Writes every message of the notice in `tx`, if its status is still one of `from` (the guard
   * that makes a send happen once), publishes `notice.sent`, and writes the sender's status message.
   */
  private async sendIn(tx: Tx, noticeId: string, from: readonly string[], now: Date): Promise<Extract<ConfirmOutcome, { status: 'sent' }> | null> {
    const claimed = await tx.notice.updateMany({ where: { id: noticeId, status: { in: [...from] } }, data: { status: 'sent', sentAt: now } });
    if (claimed.count === 0) return null;
    const notice = await tx.notice.findUniqueOrThrow({ where: { id: noticeId } });
    const audience = await withSavedAudience(tx, this.deps.communityId, audienceSchema.parse(notice.audience));
    const { recipients } = audience ? await this.recipientsOf(tx, audience, notice.via as NoticeVia, notice.perHousehold) : { recipients: [] };
    const renderable: RenderableNotice = { ...notice, versions: storedVersions(notice.versions), attachment: storedAttachment(notice.attachment) };
    const rows: BulkRecipient[] = [];
    for (const recipient of recipients) {
      const capabilities = this.deps.capabilitiesOf(recipient.channel);
      const rendered = renderNotice(renderable, recipient.locale, capabilities, this.deps.textLimitOf(recipient.channel), this.deps, recipient.kind);
      const chatAccountId = recipient.kind === 'private' ? recipient.chatAccountId : null;
      for (const message of rendered.messages) rows.push({ channel: recipient.channel, chatId: recipient.chatId, chatAccountId, message });
      // Pressed by typing the number: kept for the person's own private chat only (a group's lines are read, not pressed).
      if (recipient.kind === 'private' && rendered.numbered.length > 0) await keepNumberedActions(tx, { id: recipient.chatAccountId, chatId: recipient.chatId }, rendered.numbered, now);
    }
    const priority = notice.kind === 'alert' ? PRIORITY_ALERT : PRIORITY_BULK;
    const bulk = await createBulkSend(tx, { communityId: this.deps.communityId, purpose: `notice_${notice.kind}`, recipients: rows, message: { text: '' }, priority });
    const status = readStatusMessage(notice.statusMessage);
    // The sender's status message goes first (a reply's priority), before the notice's own rows.
    const first = status ? await writeFirstStatus(tx, this.deps, notice, status, new Set(rows.map((row) => `${row.channel}\u0000${row.chatId}`)).size) : null;
    await tx.notice.update({ where: { id: noticeId }, data: { bulkSendId: bulk.bulkSendId, ...(first ? { statusMessage: first.state as object } : {}) } });
    await this.deps.events.publish(tx, 'notice.sent', { communityId: this.deps.communityId, noticeId, kind: notice.kind, sentAt: now });
    return { status: 'sent', noticeId, number: notice.number, recipients: recipients.length, rows: [...(first?.rows ?? []), ...bulk.rows] };
  }
}

/** What is wrong with a draft, as a problem code the caller words; null when nothing. */
export function draftProblem(draft: NoticeDraft): string | null {
  if (!['notice', 'disclosure', 'alert'].includes(draft.kind)) return 'kind';
  if (!draft.title.trim() || draft.title.length > TITLE_MAX) return 'title';
  if (!draft.body.trim() || draft.body.length > BODY_MAX) return 'body';
  if (!['private', 'groups', 'both'].includes(draft.via)) return 'via';
  if (!audienceSchema.safeParse(draft.audience).success) return 'audience';
  for (const version of Object.values(draft.versions ?? {})) {
    if (!version.title.trim() || version.title.length > TITLE_MAX || !version.body.trim() || version.body.length > BODY_MAX) return 'version';
  }
  return null;
}
