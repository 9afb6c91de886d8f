/**
 * Errors the fake answers with, worded like the real Bot API so code that reads `description`
 * (e.g. "chat not found") is tested against the words Telegram uses.
 */

/** A Bot API error: sent as `{ ok: false, error_code, description, parameters? }` with that HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${errorCode}: ${description}`);
    this.name = 'ApiError';
  }

  /** The JSON body Telegram sends. */
  body(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
export const chatNotFound = () => badRequest('chat not found');
export const blockedByUser = () => new ApiError(403, 'Forbidden: bot was blocked by the user');
export const unauthorized = () => new ApiError(401, 'Unauthorized');
export const notFound = () => new ApiError(404, 'Not Found');
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds });
export const conflict = (what: string) => new ApiError(409, `Conflict: ${what}`);
/** A send to a group that became a supergroup: where it lives now. */
export const groupUpgraded = (supergroupId: number) =>
  new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: supergroupId });
