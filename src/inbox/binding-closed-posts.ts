/**
 * Binding closed in the staff chats (a listener of the identity feature's `binding.closed`,
 * features/identity/binding-closed.ts): when the community-wide limit on wrong codes closes
 * binding, each bound staff chat gets one alert — binding is closed because of many wrong codes,
 * until when (the community's wall clock), what staff can do, and how to lift the pause early
 * (`/resume_binding` here, or `linli binding resume`). The identity feature publishes it
 * once per closing, inside the transaction that found it; the rows go to the queue right after
 * that commit (`queueAfterCommit`). With no staff chat bound nothing is written.
 */
import { queueAfterCommit } from '../db/after-commit.js';
import type { Tx } from '../db/prisma-types.js';
import type { BindingClosed } from '../features/identity/binding-closed.js';
import { localMinute } from '../features/tickets/scheduling/local-format.js';
import type { Translator } from '../i18n/translator.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import { staffChatsOf, writeAnswer, type TextLimitOf } from './staff-posts.js';

export interface BindingClosedPostsDeps {
  translator: Translator;
  textLimitOf: TextLimitOf;
}

export class BindingClosedPosts {
  constructor(private readonly deps: BindingClosedPostsDeps) {}

  async bindingClosed(tx: Tx, closed: BindingClosed): Promise<void> {
    queueAfterCommit(tx, await this.write(tx, closed));
  }

  /** Writes the alert to every staff chat of the community; returns the rows (dispatch them after commit). */
  async write(tx: Tx, closed: BindingClosed): Promise<QueuedOutboxRow[]> {
    const chats = await staffChatsOf(tx, closed.communityId);
    if (chats.length === 0) return [];
    const community = await tx.community.findUniqueOrThrow({ where: { id: closed.communityId }, select: { defaultLocale: true, timezone: true } });
    // The staff chat is shared: it reads the community's language.
    const t = (key: string) =>
      this.deps.translator.t(community.defaultLocale, key, {
        count: closed.wrongCodes,
        origins: closed.origins,
        minutes: closed.windowMinutes,
        until: localMinute(closed.until, community.timezone),
      });
    const text = [t('inbox.binding_closed.title'), t('inbox.binding_closed.body'), t('inbox.binding_closed.todo'), t('inbox.binding_closed.resume')].join('\n\n');
    const rows: QueuedOutboxRow[] = [];
    for (const chat of chats) {
      rows.push(...(await writeAnswer(tx, closed.communityId, chat, text, this.deps.textLimitOf)));
    }
    return rows;
  }
}
