/**
 * The sender's status message: ONE message in the chat the notice was confirmed from, written with
 * the notice's messages ("📤 TZ-2026-00042 已发送 0 / 3,076") and kept up to date until the final
 * report (delivered, unreachable, failed by reason, and one button that retries the failures).
 *
 * - A channel that edits (`capabilities.edits`) gets the same message edited: an outbox row with
 *   `editOf` the platform id of the last status row, once that row is sent. At most one edit per
 *   tick (`PROGRESS_EVERY_MS`), and none while the previous edit is still on its way, so the
 *   platform's edit limits are never approached whatever the notice's size.
 * - A channel that cannot edit gets a new message at a few milestones only (25 / 50 / 75 %) and
 *   the final report — never one per recipient.
 *
 * Ticks are delayed jobs (`notice-progress`, keyed by notice and tick); each reads the delivery
 * report from the outbox rows, writes at most one status row, and adds the next tick until the
 * send is done. What was last written is kept in `Notice.statusMessage`, so a repeated tick
 * writes nothing twice and a restart goes on where it stopped (the sweep adds the tick again).
 */
import type { ButtonKind } from '../../../buttons/button-kind.js';
import type { ButtonMaker } from '../../../buttons/button-registry.js';
import { numberedText } from '../../../buttons/numbered-choices.js';
import type { ChannelCapabilities, OutboundChoice, OutboundMessage } from '../../../channels/types.js';
import type { PrismaClient, Tx } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import { keepNumberedActions } from '../../../notify/numbered-actions.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../../../outbox/outbox.js';
import { deliveryReport, failedCount, type DeliveryReport } from './delivery-report.js';

/** How often the status is looked at (and so edited at most). */
export const PROGRESS_EVERY_MS = 4_000;
/** Where a channel that cannot edit gets a new status message. */
export const PROGRESS_MILESTONES = [25, 50, 75] as const;

/** What `Notice.statusMessage` holds. */
export interface StatusMessageState {
  channel: string;
  chatId: string;
  chatAccountId: string | null;
  locale: string;
  /** The last status row written (its platform id is what the next edit replaces). */
  outboxId?: string;
  /** The last milestone told (channels that cannot edit). */
  milestone?: number;
  /** The final report is written. */
  reported?: boolean;
}

/** `nf|<notice id>|<tag>`: retries a notice's failed messages; who may is the policy's (the press's sender). */
export const noticeRetryButton: ButtonKind<{ noticeId: string }> = {
  prefix: 'nf',
  write: ({ noticeId }) => [noticeId],
  read: (parts) => (parts.length === 1 && parts[0] ? { noticeId: parts[0] } : null),
};

export function readStatusMessage(stored: unknown): StatusMessageState | null {
  if (!stored || typeof stored !== 'object') return null;
  const s = stored as Partial<StatusMessageState>;
  if (typeof s.channel !== 'string' || typeof s.chatId !== 'string' || typeof s.locale !== 'string') return null;
  return { chatAccountId: null, ...s } as StatusMessageState;
}

export interface ProgressDeps {
  prisma: PrismaClient;
  translator: Translator;
  buttons: ButtonMaker;
  capabilitiesOf: (channel: string) => ChannelCapabilities | undefined;
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> };
  logger: Logger;
  now: () => Date;
}

/** The text of the status while sending: "📤 TZ-2026-00042 已发送 1,200 / 3,076". */
export function progressText(translator: Translator, locale: string, number: string, report: Pick<DeliveryReport, 'total' | 'pending'>): string {
  const done = report.total - report.pending;
  return translator.t(locale, 'notices.send.progress.running', { number, sent: done.toLocaleString('en-US'), total: report.total.toLocaleString('en-US') });
}

/** The final report's text: delivered, unreachable, failed with reasons. */
export function reportText(translator: Translator, locale: string, report: DeliveryReport): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines = [translator.t(locale, 'notices.send.report.title', { number: report.number, delivered: n(report.delivered), total: n(report.total) })];
  if (report.unreachable > 0) lines.push(translator.t(locale, 'notices.send.report.unreachable', { count: n(report.unreachable) }));
  if (report.failed.rejected > 0) lines.push(translator.t(locale, 'notices.send.report.rejected', { count: n(report.failed.rejected) }));
  if (report.failed.exhausted > 0) lines.push(translator.t(locale, 'notices.send.report.exhausted', { count: n(report.failed.exhausted) }));
  if (report.failed.no_channel > 0) lines.push(translator.t(locale, 'notices.send.report.no_channel', { count: n(report.failed.no_channel) }));
  if (failedCount(report) > 0) lines.push(translator.t(locale, 'notices.send.report.retry_hint', { number: report.number }));
  return lines.join('\n');
}

/** Writes the first status message (in the sending transaction); returns the state to keep. */
export async function writeFirstStatus(tx: Tx, deps: Pick<ProgressDeps, 'translator'>, notice: { communityId: string; number: string }, state: StatusMessageState, total: number): Promise<{ state: StatusMessageState; rows: QueuedOutboxRow[] }> {
  const text = progressText(deps.translator, state.locale, notice.number, { total, pending: total });
  const rows = await writeOutbox(tx, [{ communityId: notice.communityId, channel: state.channel, chatId: state.chatId, chatAccountId: state.chatAccountId, message: { text }, priority: PRIORITY_REPLY }]);
  return { state: { ...state, outboxId: rows[0]!.id }, rows };
}

export type TickOutcome = 'done' | 'continue' | 'none';

/**
 * One look at a notice's progress: writes at most one status row, and says whether to look again.
 * `none`: the notice has no status message or was reported already.
 */
export async function progressTick(deps: ProgressDeps, noticeId: string): Promise<TickOutcome> {
  const notice = await deps.prisma.notice.findUnique({ where: { id: noticeId }, select: { id: true, communityId: true, number: true, status: true, bulkSendId: true, statusMessage: true } });
  const state = notice ? readStatusMessage(notice.statusMessage) : null;
  if (!notice || !state || state.reported || !notice.bulkSendId) return 'none';
  const report = await deliveryReport(deps.prisma, notice);
  const capabilities = deps.capabilitiesOf(state.channel);
  const edits = capabilities?.edits === true;
  let message: OutboundMessage | null = null;
  let numbered: OutboundChoice[] = [];
  const next: StatusMessageState = { ...state };
  if (report.done) {
    const final = finalMessage(deps, state, report, capabilities);
    message = final.message;
    numbered = final.numbered;
    next.reported = true;
  } else if (edits) {
    message = { text: progressText(deps.translator, state.locale, notice.number, report) };
  } else {
    const percent = report.total === 0 ? 100 : Math.floor(((report.total - report.pending) * 100) / report.total);
    const reached = [...PROGRESS_MILESTONES].reverse().find((milestone) => percent >= milestone);
    if (reached !== undefined && reached > (state.milestone ?? 0)) {
      message = { text: progressText(deps.translator, state.locale, notice.number, report) };
      next.milestone = reached;
    }
  }
  if (!message) return 'continue';
  if (edits && state.outboxId) {
    // The edit replaces the last status message once it is out; until then, wait for the next tick.
    const last = await deps.prisma.outboxMessage.findUnique({ where: { id: state.outboxId }, select: { status: true, externalMessageId: true } });
    if (last?.status === 'sent' && last.externalMessageId) message = { ...message, editOf: last.externalMessageId };
    else if (last && last.status !== 'failed') return 'continue';
  }
  const written = await deps.prisma.$transaction(async (tx) => {
    // Guarded by what was read: a second tick running at once writes nothing.
    const claimed = await tx.notice.updateMany({ where: { id: noticeId, statusMessage: { equals: notice.statusMessage as object } }, data: { statusMessage: next as object } });
    if (claimed.count === 0) return [];
    const rows = await writeOutbox(tx, [{ communityId: notice.communityId, channel: state.channel, chatId: state.chatId, chatAccountId: state.chatAccountId, message, priority: PRIORITY_REPLY }]);
    await tx.notice.update({ where: { id: noticeId }, data: { statusMessage: { ...next, outboxId: rows[0]!.id } as object } });
    if (numbered.length > 0 && state.chatAccountId) await keepNumberedActions(tx, { id: state.chatAccountId, chatId: state.chatId }, numbered, deps.now());
    return rows;
  });
  if (written.length > 0) await deps.outbox.dispatch(written);
  deps.logger.debug({ noticeId, done: report.done, total: report.total, pending: report.pending }, 'notice progress');
  return report.done ? 'done' : 'continue';
}

/** The final report, with the one retry button when something failed (numbered where a channel has no buttons). */
function finalMessage(deps: ProgressDeps, state: StatusMessageState, report: DeliveryReport, capabilities: ChannelCapabilities | undefined): { message: OutboundMessage; numbered: OutboundChoice[] } {
  let text = reportText(deps.translator, state.locale, report);
  const failures = failedCount(report);
  if (failures === 0) return { message: { text }, numbered: [] };
  const items = [{ label: deps.translator.t(state.locale, 'notices.send.report.retry', { count: failures.toLocaleString('en-US') }), fields: { noticeId: report.noticeId } }];
  if (capabilities?.buttons) return { message: { text, choices: deps.buttons.buttons(noticeRetryButton, capabilities, items) ?? [] }, numbered: [] };
  if (!state.chatAccountId) return { message: { text }, numbered: [] };
  text = numberedText(text, items.map((item) => item.label), (key, vars) => deps.translator.t(state.locale, key, vars));
  return { message: { text }, numbered: deps.buttons.forNumbers(noticeRetryButton, items) };
}
