/**
 * An outbox row's payload: the message as the channel will be given it, and beside its fields the
 * language the person had chosen when it was written (`OutboxEntry.chosenLocale`), which goes to
 * the channel as `SendContext.chosenLocale` rather than as part of the message.
 */
import type { OutboundMessage } from '../channels/types.js';

/** Where a row's payload keeps its `chosenLocale` beside the message's own fields. */
const CHOSEN_LOCALE_FIELD = 'chosenLocale';

/** The payload stored for a message, and the language it was written in if known (undefined: not said). */
export function storedPayload(message: OutboundMessage, chosenLocale: string | null | undefined): Record<string, unknown> {
  return chosenLocale === undefined ? { ...message } : { ...message, [CHOSEN_LOCALE_FIELD]: chosenLocale };
}

/** A stored payload taken apart again: the message to send, and the language it was written in (undefined: not said). */
export function payloadParts(payload: unknown): { message: OutboundMessage; chosenLocale: string | null | undefined } {
  const stored = { ...(payload as Record<string, unknown>) };
  const chosen = stored[CHOSEN_LOCALE_FIELD];
  delete stored[CHOSEN_LOCALE_FIELD];
  const chosenLocale = typeof chosen === 'string' || chosen === null ? chosen : undefined;
  return { message: stored as unknown as OutboundMessage, chosenLocale };
}
