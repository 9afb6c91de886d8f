/**
 * Tells one chat account something outside a conversation turn — a binding request approved, a
 * ticket answered — in the account's own language, on its own channel: renders a locale key and
 * writes the outbox rows in the caller's transaction (the message exists exactly when the change
 * that caused it does). The caller hands the returned rows to `OutboxDispatcher.dispatch` after
 * commit; a caller without queues (the command line) may leave them to the server's outbox
 * sweep, which sends rows left pending within about a minute.
 *
 * The words come from the translator it is given (the app's, the command line's): it reads no
 * locale files of its own, so every notice is in the same words as the rest of that process.
 * Features and the conversation both use it; it depends on neither.
 *
 * @example
 * const rows = await prisma.$transaction((tx) =>
 *   notifier.write(tx, { chatAccountId, key: 'identity.notice.approved', vars: { name } }));
 * await outbox.dispatch(rows);
 */
import type { ButtonMaker } from '../buttons/button-registry.js';
import type { ChannelCapabilities, ChannelName, OutboundChoice, OutboundMessage } from '../channels/types.js';
import type { Tx } from '../db/prisma-types.js';
import { SAFE_TEXT_LIMIT, type TextLimitOf } from '../channels/text-limit.js';
import type { Translator, Vars } from '../i18n/translator.js';
import { PRIORITY_REPLY, writeOutbox, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import { splitText } from '../util/split-text.js';
import { numberedText } from '../buttons/numbered-choices.js';
import { commandButton, commandButtonFields } from './command-buttons.js';
import { keepManyNumberedActions } from './numbered-actions.js';
import { officeContact } from './office-contact.js';

/** One message for one account. */
export interface AccountNotice {
  chatAccountId: string;
  /** Locale key of the text; `{{office}}` (the office, with its phone when one is set) and `{{communityName}}` are always available. */
  key: string;
  vars?: Vars;
  /** Outbox priority (default: that of a reply). */
  priority?: number;
  /**
   * Buttons that run a command as if typed (`/rate MQ-2026-00123`), under the notice's last part,
   * on channels with buttons. On a channel without them they are numbered lines answered by the
   * number (`numbered-actions.ts`); the text should name the words to type as well.
   */
  commands?: readonly { labelKey: string; command: string }[];
  /** Stored photos sent with the notice: the first with its text as caption, the rest after it. */
  photos?: readonly string[];
  /**
   * A stored file (`src/channels/media/document-files.ts`) sent with the notice where the
   * account's channel carries files (within its size), its text as the caption; `carriedVars`
   * then replace `vars` (the words that point at the file rather than at its link). Elsewhere
   * only the text goes, which should give the link.
   */
  document?: { ref: string; name: string; bytes: number; carriedVars?: Vars };
}

export interface AccountNotifierDeps {
  translator: Translator;
  /** The longest text a channel takes in one message (longer notices are split; default: the safe limit). */
  textLimitOf?: TextLimitOf;
  /** Makes command buttons; without it notices carry none. */
  buttons?: ButtonMaker;
  /**
   * What a channel can show (default, and for a channel this process does not have: unknown, so
   * neither buttons nor numbered lines; the text names the words to type).
   */
  capabilitiesOf?: (channel: ChannelName) => ChannelCapabilities | undefined;
  /** The time numbered actions are kept at (default: now). */
  now?: () => Date;
}

/** What a notice needs of its account. */
interface NoticedAccount {
  id: string;
  channel: string;
  externalId: string;
  locale: string | null;
  community: { name: string; officePhone: string | null; defaultLocale: string };
}

export class AccountNotifier {
  constructor(private readonly deps: AccountNotifierDeps) {}

  /**
   * Writes the notice as outbox rows; none when the account does not exist. A private chat with
   * a person has the person's own id as its chat id on every channel (a web chat browser, Telegram
   * user, WeChat contact), so the notice goes to the account's `externalId`.
   */
  async write(tx: Tx, notice: AccountNotice): Promise<QueuedOutboxRow[]> {
    return this.writeMany(tx, [notice]);
  }

  /**
   * Writes many notices at once (a meeting's reminders to everyone due): the same rows, in the
   * same order, as writing them one after the other, from one read of the accounts and one
   * statement per thousand rows instead of two statements a notice.
   */
  async writeMany(tx: Tx, notices: readonly AccountNotice[]): Promise<QueuedOutboxRow[]> {
    if (notices.length === 0) return [];
    const found = await tx.chatAccount.findMany({
      where: { id: { in: [...new Set(notices.map((notice) => notice.chatAccountId))] } },
      select: {
        id: true,
        communityId: true,
        channel: true,
        externalId: true,
        locale: true,
        community: { select: { name: true, officePhone: true, defaultLocale: true } },
      },
    });
    const accounts = new Map(found.map((account) => [account.id, account]));
    const now = this.deps.now?.() ?? new Date();
    const entries: OutboxEntry[] = [];
    const numbered: { account: { id: string; chatId: string }; actions: OutboundChoice[] }[] = [];
    for (const notice of notices) {
      const account = accounts.get(notice.chatAccountId);
      if (!account) continue;
      const rendered = this.render(notice, account);
      if (rendered.numbered) numbered.push({ account: { id: account.id, chatId: account.externalId }, actions: rendered.numbered });
      entries.push(
        ...rendered.messages.map((message) => ({
          communityId: account.communityId,
          channel: account.channel as ChannelName,
          chatId: account.externalId,
          chatAccountId: account.id,
          message,
          priority: notice.priority ?? PRIORITY_REPLY,
        })),
      );
    }
    if (numbered.length > 0) await keepManyNumberedActions(tx, numbered, now);
    return writeOutbox(tx, entries);
  }

  /** One notice's messages for its account, and the choices kept to be pressed by number (a channel without buttons). */
  private render(notice: AccountNotice, account: NoticedAccount): { messages: OutboundMessage[]; numbered?: OutboundChoice[] } {
    const { translator } = this.deps;
    const locale = account.locale ?? account.community.defaultLocale;
    const channel = account.channel as ChannelName;
    const capabilities = this.deps.capabilitiesOf?.(channel);
    const document = notice.document;
    const carried = document !== undefined && capabilities?.documents === true && (capabilities.maxDocumentBytes === undefined || document.bytes <= capabilities.maxDocumentBytes);
    const text = translator.t(locale, notice.key, {
      office: officeContact(translator, locale, account.community.officePhone),
      communityName: account.community.name,
      ...notice.vars,
      ...(carried ? document.carriedVars : {}),
    });
    const limit = this.deps.textLimitOf?.(channel) ?? SAFE_TEXT_LIMIT;
    const pieces = splitText(text, limit);
    const commands = this.commandChoices(notice, channel, account.id, locale);
    const choices = commands?.shown ? commands.choices : [];
    if (commands && !commands.shown) {
      // No buttons here: the same choices as numbered lines, pressed by typing the number.
      const numbered = numberedText(pieces.pop()!, commands.choices.map((choice) => choice.label), (key, vars) => translator.t(locale, key, vars));
      pieces.push(...splitText(numbered, limit));
    }
    const messages: OutboundMessage[] = pieces.map((piece, index) => (index === pieces.length - 1 && choices.length > 0 ? { text: piece, choices } : { text: piece }));
    const [firstPhoto, ...morePhotos] = notice.photos ?? [];
    // The first photo carries the first piece as its caption (the channel keeps captions short).
    if (firstPhoto) messages[0] = { ...messages[0]!, photo: { ref: firstPhoto } };
    messages.push(...morePhotos.map((ref) => ({ text: '', photo: { ref } })));
    if (carried) {
      // On the first message, its text the caption; after it when that one carries a photo.
      const file = { ref: document.ref, name: document.name };
      if (messages[0]!.photo) messages.splice(1, 0, { text: '', document: file });
      else messages[0] = { ...messages[0]!, document: file };
    }
    return { messages, ...(commands && !commands.shown ? { numbered: commands.choices } : {}) };
  }

  /** The notice's command buttons: `shown` as buttons, or kept to be pressed by number; none when neither can be. */
  private commandChoices(notice: AccountNotice, channel: ChannelName, chatAccountId: string, locale: string): { choices: OutboundChoice[]; shown: boolean } | undefined {
    const { buttons, capabilitiesOf, translator } = this.deps;
    if (!notice.commands || notice.commands.length === 0 || !buttons) return undefined;
    const items = notice.commands.map(({ labelKey, command }) => ({ label: translator.t(locale, labelKey), fields: commandButtonFields(chatAccountId, command) }));
    const capabilities = capabilitiesOf?.(channel);
    if (!capabilities) return undefined;
    if (capabilities.buttons) return { choices: buttons.buttons(commandButton, capabilities, items) ?? [], shown: true };
    return { choices: buttons.forNumbers(commandButton, items), shown: false };
  }
}
