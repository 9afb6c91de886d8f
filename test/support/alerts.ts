/**
 * An alert (or a notice asking for confirmation) sent the way sending sends one — until sending
 * is part of the app, the one place tests make it: a `Notice` row (status sent, `sentAt`), its
 * messages written with `createBulkSend` at alert priority to every reachable private chat
 * account of the households addressed, each in its language with the answer buttons
 * (`noticeAnswerItems`; numbered lines kept as the account's numbered actions where a channel has
 * no buttons), and `notice.sent` published in that transaction; the rows go out after commit,
 * and the roll-call's jobs are added then.
 */
import type { Prisma } from '../../src/db/prisma-types.js';
import type { App } from '../../src/app.js';
import { numberedText } from '../../src/buttons/numbered-choices.js';
import type { ChannelName, OutboundMessage } from '../../src/channels/types.js';
import { finishCommitted, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import { addressedHouseholdsWhere } from '../../src/features/notices/answers/addressed-households.js';
import { noticeAnswerButton, noticeAnswerItems } from '../../src/features/notices/answers/answer-button.js';
import '../../src/features/notices/notice-events.js';
import { keepNumberedActions } from '../../src/notify/numbered-actions.js';
import { createBulkSend, type BulkRecipient } from '../../src/outbox/bulk-send.js';
import { PRIORITY_ALERT } from '../../src/outbox/outbox.js';
import { capabilitiesIn } from '../../src/channels/known-channels.js';
import { ButtonRegistry } from '../../src/buttons/button-registry.js';

export interface TestAlert {
  kind?: 'alert' | 'notice';
  title?: string;
  body?: string;
  /** As `Notice.audience`; default everyone. */
  audience?: Prisma.InputJsonValue;
  asksConfirmation?: boolean;
  /** Default: now on the app's clock (`clock`), else the wall clock. */
  sentAt?: Date;
  /** Group chats it is posted in too (a household group's chat), in the community's language. */
  groupChats?: readonly { channel: ChannelName; chatId: string }[];
}

export interface SentAlert {
  noticeId: string;
  number: string;
  /** Outbox rows written (one per account reached). */
  recipients: number;
}

let sequence = 0;

/**
 * Sends an alert through the app's own outbox and event bus. `buttons` signs like the app's
 * registry (same secret as `startTestApp`), since the app does not hand its registry out.
 */
export async function sendTestAlert(app: App, alert: TestAlert = {}, sentAtDefault: () => Date = () => new Date()): Promise<SentAlert> {
  const prisma = app.database.prisma;
  const communityId = app.communityId;
  const sentAt = alert.sentAt ?? sentAtDefault();
  const kind = alert.kind ?? 'alert';
  sequence += 1;
  const number = `TZ-${sentAt.getUTCFullYear()}-${String(90000 + sequence).padStart(5, '0')}`;
  const buttons = new ButtonRegistry(app.config.LINLI_SECRET ?? '');
  const capabilitiesOf = capabilitiesIn(app.channels);
  const community = await prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
  const committed = await transactionWithAfterCommit(prisma, async (tx) => {
    const notice = await tx.notice.create({
      data: {
        communityId,
        number,
        kind,
        locale: community.defaultLocale,
        title: alert.title ?? '停水停电紧急通知',
        body: alert.body ?? '因管道抢修，今晚全片区停水停电，请确认家中平安。',
        audience: alert.audience ?? { everyone: true },
        asksConfirmation: kind === 'alert' ? true : (alert.asksConfirmation ?? true),
        status: 'sent',
        sentAt,
      },
      select: { id: true, kind: true, asksConfirmation: true, title: true, body: true },
    });
    const households = await tx.household.findMany({ where: await addressedHouseholdsWhere(tx, communityId, alert.audience ?? { everyone: true }, sentAt), select: { id: true } });
    const accounts = await tx.chatAccount.findMany({
      where: { communityId, unreachableAt: null, resident: { householdId: { in: households.map((h) => h.id) } } },
      orderBy: { createdAt: 'asc' },
      select: { id: true, channel: true, externalId: true, locale: true },
    });
    const recipients: BulkRecipient[] = [];
    for (const account of accounts) {
      const locale = account.locale ?? community.defaultLocale;
      const items = noticeAnswerItems(notice, app.translator, locale);
      const capabilities = capabilitiesOf(account.channel as ChannelName);
      const text = `${notice.title}\n${notice.body}`;
      let message: OutboundMessage;
      if (capabilities.buttons) {
        message = { text, choices: buttons.buttons(noticeAnswerButton, capabilities, items) ?? [] };
      } else {
        const numbered = buttons.forNumbers(noticeAnswerButton, items);
        message = { text: numberedText(text, numbered.map((c) => c.label), (key, vars) => app.translator.t(locale, key, vars)) };
        await keepNumberedActions(tx, { id: account.id, chatId: account.externalId }, numbered, sentAt);
      }
      recipients.push({ channel: account.channel as ChannelName, chatId: account.externalId, chatAccountId: account.id, message });
    }
    for (const chat of alert.groupChats ?? []) {
      const items = noticeAnswerItems(notice, app.translator, community.defaultLocale);
      const choices = buttons.buttons(noticeAnswerButton, capabilitiesOf(chat.channel), items);
      recipients.push({ channel: chat.channel, chatId: chat.chatId, message: { text: `${notice.title}\n${notice.body}`, ...(choices ? { choices } : {}) } });
    }
    const bulk = await createBulkSend(tx, { communityId, purpose: kind, recipients, message: { text: notice.title }, priority: PRIORITY_ALERT });
    await tx.notice.update({ where: { id: notice.id }, data: { bulkSendId: bulk.bulkSendId } });
    await app.events.publish(tx, 'notice.sent', { communityId, noticeId: notice.id, kind, sentAt });
    return { noticeId: notice.id, rows: bulk.rows, recipients: recipients.length };
  });
  await finishCommitted(committed, app.outbox, committed.value.rows);
  return { noticeId: committed.value.noticeId, number, recipients: committed.value.recipients };
}
