/**
 * Binding closed in the staff chats (a listener of the identity feature's `binding.closed`,
 * features/identity/binding-closed.ts): when the community-wide limit on wrong codes closes
 * binding, each bound staff chat gets one alert — binding is closed because of many wrong codes,
 * until when (the community's wall clock), what staff can do, and how to lift the pause early
 * (`/resume_binding` here, or `linli binding resume`). The identity feature publishes it
 * once per closing, inside the transaction that found it; the one poster (bound-chat-poster.ts)
 * writes it to every chat bound for `staff`, in its language, queued right after that commit.
 * With no staff chat bound nothing is written.
 */
import { declaredCapabilities, type CapabilitiesOf } from '../channels/known-channels.js';
import type { Tx } from '../db/prisma-types.js';
import type { BindingClosed } from '../features/identity/binding-closed.js';
import { localMinute } from '../features/tickets/scheduling/local-format.js';
import type { Translator } from '../i18n/translator.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import { BoundChatPoster } from './bound-chat-poster.js';
import { writeAnswer, type TextLimitOf } from './staff-posts.js';

export interface BindingClosedPostsDeps {
  translator: Translator;
  textLimitOf: TextLimitOf;
  /** What each channel can do (default: what the known adapters declare). */
  capabilitiesOf?: CapabilitiesOf;
}

export class BindingClosedPosts {
  private readonly poster: BoundChatPoster;

  constructor(private readonly deps: BindingClosedPostsDeps) {
    this.poster = new BoundChatPoster(deps.capabilitiesOf ?? declaredCapabilities);
  }

  async bindingClosed(tx: Tx, closed: BindingClosed): Promise<void> {
    await this.write(tx, closed);
  }

  /** Writes the alert to every staff chat of the community, queued after commit; returns the rows. */
  async write(tx: Tx, closed: BindingClosed): Promise<QueuedOutboxRow[]> {
    let timezone: string | undefined;
    return this.poster.post(tx, { communityId: closed.communityId, purpose: 'staff' }, async ({ chat, locale }) => {
      timezone ??= (await tx.community.findUniqueOrThrow({ where: { id: closed.communityId }, select: { timezone: true } })).timezone;
      const until = localMinute(closed.until, timezone);
      const t = (key: string) =>
        this.deps.translator.t(locale, key, { count: closed.wrongCodes, origins: closed.origins, minutes: closed.windowMinutes, until });
      const text = [t('inbox.binding_closed.title'), t('inbox.binding_closed.body'), t('inbox.binding_closed.todo'), t('inbox.binding_closed.resume')].join('\n\n');
      return writeAnswer(tx, closed.communityId, chat, text, this.deps.textLimitOf);
    });
  }
}
