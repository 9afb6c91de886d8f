/**
 * Tells one chat account something outside a conversation turn — a binding request approved, a
 * ticket answered — in the account's own language, on its own channel: renders a locale key and
 * writes the outbox rows in the caller's transaction (the message exists exactly when the change
 * that caused it does). The caller hands the returned rows to `OutboxDispatcher.dispatch` after
 * commit; a caller without queues (the command line) may leave them to the server's outbox
 * sweep, which sends rows left pending within about a minute.
 *
 * @example
 * const rows = await prisma.$transaction((tx) =>
 *   notifier.write(tx, { chatAccountId, key: 'identity.notice.approved', vars: { name } }));
 * await outbox.dispatch(rows);
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelName } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { loadTranslator, type Translator, type Vars } from '../i18n/translator.js';
import { PRIORITY_REPLY, writeOutbox, type QueuedOutboxRow } from '../outbox/outbox.js';
import { splitText } from '../util/split-text.js';

/** One message for one account. */
export interface AccountNotice {
  chatAccountId: string;
  /** Locale key of the text; `{{officePhone}}` and `{{communityName}}` are always available. */
  key: string;
  vars?: Vars;
  /** Outbox priority (default: that of a reply). */
  priority?: number;
}

export interface AccountNotifierDeps {
  translator: Translator;
  /** The longest text a channel takes in one message (longer notices are split). */
  textLimitOf?: (channel: ChannelName) => number;
}

/** The smallest limit of the channels Linli speaks on (the web chat's and WeChat's). */
const SAFE_TEXT_LIMIT = 2000;

export class AccountNotifier {
  constructor(private readonly deps: AccountNotifierDeps) {}

  /**
   * Writes the notice as outbox rows; none when the account does not exist. A private chat with
   * a person has the person's own id as its chat id on every channel (a web chat browser, Telegram
   * user, WeChat contact), so the notice goes to the account's `externalId`.
   */
  async write(tx: Tx, notice: AccountNotice): Promise<QueuedOutboxRow[]> {
    const account = await tx.chatAccount.findUnique({
      where: { id: notice.chatAccountId },
      select: {
        id: true,
        communityId: true,
        channel: true,
        externalId: true,
        locale: true,
        community: { select: { name: true, officePhone: true, defaultLocale: true } },
      },
    });
    if (!account) return [];
    const { translator } = this.deps;
    const locale = account.locale ?? account.community.defaultLocale;
    const channel = account.channel as ChannelName;
    const text = translator.t(locale, notice.key, {
      officePhone: account.community.officePhone ?? translator.t(locale, 'community.office_phone_unknown'),
      communityName: account.community.name,
      ...notice.vars,
    });
    const limit = this.deps.textLimitOf?.(channel) ?? SAFE_TEXT_LIMIT;
    return writeOutbox(
      tx,
      splitText(text, limit).map((piece) => ({
        communityId: account.communityId,
        channel,
        chatId: account.externalId,
        chatAccountId: account.id,
        message: { text: piece },
        priority: notice.priority ?? PRIORITY_REPLY,
      })),
    );
  }
}

let projectNotifier: AccountNotifier | undefined;

/** A notifier over the project's own locales, for callers outside the running app (the command line). */
export function defaultAccountNotifier(): AccountNotifier {
  projectNotifier ??= new AccountNotifier({
    translator: loadTranslator(join(fileURLToPath(new URL('../..', import.meta.url)), 'locales')),
  });
  return projectNotifier;
}
