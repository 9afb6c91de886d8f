/**
 * Failures a test asks the fake to produce: an HTTP 5xx, a call that never answers, or any Bot
 * API error (403, 400, 429 with retry_after…), for some methods, one chat, a number of times.
 * Blocked chats answer every send with Telegram's 403 until unblocked.
 */
import { ApiError } from './api-error.js';

export type FaultAction =
  /** Answer with this HTTP status and Telegram's plain 5xx body. */
  | { type: 'status'; status: number }
  /** Never answer (until the client gives up or the fake closes). */
  | { type: 'hang' }
  /** Answer with a Bot API error. */
  | { type: 'error'; errorCode: number; description: string; retryAfter?: number; migrateToChatId?: number };

export interface FaultRule {
  /** Methods it applies to (default: every method except getUpdates). */
  methods?: string[];
  /** Only calls for this chat_id. */
  chatId?: number | string;
  /** How many calls it hits (default 1; Infinity until cleared). */
  times?: number;
  action: FaultAction;
}

/** What happens to one call: go ahead, or this fault. */
export type FaultOutcome = { type: 'none' } | { type: 'status'; status: number } | { type: 'hang' } | { type: 'error'; error: ApiError };

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class FaultPlan {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching rule for this call, used up by one. */
  take(method: string, chatId: string | undefined): FaultOutcome {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r, method, chatId));
    if (!rule) return { type: 'none' };
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    const action = rule.action;
    if (action.type !== 'error') return action;
    const parameters =
      action.retryAfter !== undefined || action.migrateToChatId !== undefined
        ? {
            ...(action.retryAfter !== undefined ? { retry_after: action.retryAfter } : {}),
            ...(action.migrateToChatId !== undefined ? { migrate_to_chat_id: action.migrateToChatId } : {}),
          }
        : undefined;
    return { type: 'error', error: new ApiError(action.errorCode, action.description, parameters) };
  }
}

function matches(rule: FaultRule, method: string, chatId: string | undefined): boolean {
  if (rule.methods ? !rule.methods.includes(method) : method === 'getUpdates') return false;
  if (rule.chatId !== undefined && String(rule.chatId) !== chatId) return false;
  return true;
}
