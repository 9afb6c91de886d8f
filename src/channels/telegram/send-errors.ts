/**
 * What a failed Bot API call means for delivery:
 * - 429: wait `retry_after` (the whole bot is paused);
 * - 403 (blocked, kicked, deactivated) and 400 "chat not found" and the like: the chat is gone,
 *   the recipient unreachable, do not retry;
 * - 400 with `migrate_to_chat_id`: the group moved to a supergroup (the channel follows it, see
 *   chat-migrations.ts); if it still reaches here, try again later, to the new id;
 * - any other 400, and 413: the platform refused this message (too long, malformed, a file too
 *   big): give it up, but the recipient stays reachable — marking them unreachable would stop
 *   everything else they should get, and sending the same message again fails the same way;
 * - 5xx, 401/404 (our configuration), network failures and timeouts: try again later.
 */
import { TelegramError } from 'telegraf';
import { ChannelSendError } from '../types.js';

/** 400 descriptions that mean the chat cannot be written to at all. */
const CHAT_GONE = /chat not found|user not found|PEER_ID_INVALID|CHAT_ID_INVALID|bot was kicked|not a member|have no rights to send|not enough rights to send|chat_write_forbidden|group chat was upgraded/i;

/** The supergroup a group moved to, when the error says so. */
export function migratedTo(error: unknown): string | undefined {
  if (!(error instanceof TelegramError) || error.code !== 400) return undefined;
  const to = error.parameters?.migrate_to_chat_id;
  return typeof to === 'number' && Number.isSafeInteger(to) ? String(to) : undefined;
}

export function toChannelSendError(method: string, error: unknown, timeoutMs: number): Error {
  if (error instanceof TelegramError) {
    const summary = `telegram ${method}: ${error.code} ${String(error.description ?? '').slice(0, 200)}`;
    if (error.code === 429) {
      const seconds = Number(error.parameters?.retry_after);
      return new ChannelSendError(summary, true, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000);
    }
    if (error.code === 403) return new ChannelSendError(summary, false);
    if (migratedTo(error) !== undefined) return new ChannelSendError(summary, true);
    if (error.code === 400 && CHAT_GONE.test(error.description ?? '')) return new ChannelSendError(summary, false);
    if (error.code === 400 || error.code === 413) return ChannelSendError.rejected(summary);
    return new ChannelSendError(summary, true);
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ChannelSendError(`telegram ${method}: no answer within ${timeoutMs} ms`, true);
  }
  if (error instanceof Error && (error.name === 'FetchError' || 'code' in error)) {
    // Only the code: the message holds the request URL.
    const code = (error as { code?: unknown }).code;
    return new ChannelSendError(`telegram ${method}: network error ${code === undefined ? error.name : String(code)}`, true);
  }
  return error instanceof Error ? error : new Error(String(error));
}
