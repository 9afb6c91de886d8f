/**
 * Updates waiting for the bot, delivered the two ways Telegram does: `getUpdates` long polling
 * (an update stays until a later call's `offset` confirms it) or a webhook (POSTed one at a
 * time, in order, with the secret header; retried until the bot answers 2xx). Updates that
 * arrive before the bot first asks are held, as Telegram holds them.
 */
import { conflict } from './api-error.js';

export type Update = Record<string, unknown> & { update_id: number };

export interface WebhookSettings {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

/** One POST to the webhook and what came back (`status` 0: no answer). */
export interface WebhookAttempt {
  updateId: number;
  status: number;
  at: number;
}

export interface UpdateFeedOptions {
  /** How long the fake waits for the webhook to answer. */
  webhookTimeoutMs: number;
  /** First pause after a failed webhook delivery; doubles up to 2 s. */
  webhookRetryMs: number;
}

interface Poller {
  limit: number;
  resolve: (updates: Update[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** When an update first left the fake (in a getUpdates answer or a webhook POST), and for which chat. */
export interface HandOut {
  updateId: number;
  /** The chat of a message or of a pressed button's message; undefined for other updates. */
  chatId: number | undefined;
  /** Epoch ms. */
  at: number;
}

/** The update types Telegram sends when a bot names none (it leaves these out by default). */
const OPT_IN_TYPES = ['chat_member', 'message_reaction', 'message_reaction_count'];

export class UpdateFeed {
  private queue: Update[] = [];
  private nextUpdateId = 700_000_001;
  private poller: Poller | undefined;
  private allowed: string[] | undefined;
  private duplicates = 0;
  private pushing = false;
  private closed = false;
  private webhookSettings: WebhookSettings | undefined;
  private lastError: { date: number; message: string } | undefined;
  /** Inside {@link hold}: updates are queued but nobody is woken. */
  private holding = false;
  private readonly handedOutIds = new Set<number>();
  readonly webhookAttempts: WebhookAttempt[] = [];
  /** Every update's first hand-out, in order (a repeat of an unconfirmed update is not listed again). */
  readonly handOuts: HandOut[] = [];

  constructor(private readonly options: UpdateFeedOptions) {}

  get webhook(): WebhookSettings | undefined {
    return this.webhookSettings;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** A long poll is waiting for updates. */
  get pollWaiting(): boolean {
    return this.poller !== undefined;
  }

  /** The next update is delivered twice (same update_id), as Telegram may after a timeout. */
  duplicateNext(count = 1): void {
    this.duplicates += count;
  }

  /** Adds an update (its id is assigned here) and wakes whoever is waiting. */
  push(content: Record<string, unknown>): Update {
    const update: Update = { update_id: this.nextUpdateId++, ...content };
    this.queue.push(update);
    if (this.duplicates > 0) {
      this.duplicates -= 1;
      this.queue.push(update);
    }
    this.wake();
    return update;
  }

  /**
   * Runs `push` (which adds updates) without waking a waiting poller until it is done, so the
   * updates go out together, as a backlog does on Telegram (up to 100 per getUpdates).
   */
  hold<T>(push: () => T): T {
    if (this.holding) return push();
    this.holding = true;
    try {
      return push();
    } finally {
      this.holding = false;
      this.wake();
    }
  }

  /** `gone` aborts when the caller's connection closes: the long poll is dropped. */
  async getUpdates(
    offset: number | undefined,
    limit: number,
    timeoutSeconds: number,
    allowed: string[] | undefined,
    gone?: AbortSignal,
  ): Promise<Update[]> {
    if (this.webhookSettings) {
      throw conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    if (allowed !== undefined) this.allowed = allowed.length > 0 ? allowed : undefined;
    if (offset !== undefined && offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    // A newer request ends the one waiting, as Telegram does with two pollers on one token.
    this.endPoller(conflict('terminated by other getUpdates request; make sure that only one bot instance is running'));
    const ready = this.take(limit);
    if (ready.length > 0 || timeoutSeconds <= 0 || this.closed) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const poller: Poller = {
        limit,
        resolve,
        reject,
        timer: setTimeout(() => {
          if (this.poller === poller) this.poller = undefined;
          resolve(this.take(limit));
        }, timeoutSeconds * 1000),
      };
      this.poller = poller;
      gone?.addEventListener('abort', () => {
        if (this.poller !== poller) return;
        this.poller = undefined;
        clearTimeout(poller.timer);
        resolve([]);
      });
    });
  }

  setWebhook(settings: WebhookSettings, dropPending: boolean): void {
    if (dropPending) this.queue = [];
    this.webhookSettings = settings;
    this.allowed = settings.allowedUpdates && settings.allowedUpdates.length > 0 ? settings.allowedUpdates : this.allowed;
    this.endPoller(conflict('terminated by setWebhook request'));
    this.wake();
  }

  deleteWebhook(dropPending: boolean): void {
    if (dropPending) this.queue = [];
    this.webhookSettings = undefined;
    this.lastError = undefined;
  }

  webhookInfo(): Record<string, unknown> {
    return {
      url: this.webhookSettings?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(this.webhookSettings?.allowedUpdates ? { allowed_updates: this.webhookSettings.allowedUpdates } : {}),
      ...(this.lastError ? { last_error_date: this.lastError.date, last_error_message: this.lastError.message } : {}),
    };
  }

  close(): void {
    this.closed = true;
    this.webhookSettings = undefined;
    this.wake();
  }

  /** The next updates to hand out (noting when each first went). */
  private take(limit: number): Update[] {
    this.queue = this.queue.filter((u) => this.isAllowed(u));
    const updates = this.queue.slice(0, Math.max(1, Math.min(100, limit)));
    const at = Date.now();
    for (const update of updates) {
      if (this.handedOutIds.has(update.update_id)) continue;
      this.handedOutIds.add(update.update_id);
      this.handOuts.push({ updateId: update.update_id, chatId: chatOf(update), at });
    }
    return updates;
  }

  private isAllowed(update: Update): boolean {
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? '';
    return this.allowed ? this.allowed.includes(type) : !OPT_IN_TYPES.includes(type);
  }

  private endPoller(error: Error): void {
    const poller = this.poller;
    if (!poller) return;
    this.poller = undefined;
    clearTimeout(poller.timer);
    poller.reject(error);
  }

  private wake(): void {
    if (this.holding) return;
    const poller = this.poller;
    if (poller) {
      const updates = this.take(poller.limit);
      if (updates.length > 0 || this.closed) {
        this.poller = undefined;
        clearTimeout(poller.timer);
        poller.resolve(updates);
      }
    }
    if (this.webhookSettings && !this.pushing) void this.pushToWebhook();
  }

  /** Delivers queued updates to the webhook one by one; stops when it is removed or the queue empties. */
  private async pushToWebhook(): Promise<void> {
    this.pushing = true;
    let pause = this.options.webhookRetryMs;
    try {
      while (!this.closed && this.webhookSettings) {
        const settings = this.webhookSettings;
        const update = this.take(1)[0];
        if (!update) return;
        const status = await this.post(settings, update);
        this.webhookAttempts.push({ updateId: update.update_id, status, at: Date.now() });
        if (status >= 200 && status < 300) {
          const index = this.queue.indexOf(update);
          if (index >= 0) this.queue.splice(index, 1);
          pause = this.options.webhookRetryMs;
          continue;
        }
        this.lastError = {
          date: Math.floor(Date.now() / 1000),
          message: status === 0 ? 'Connection refused' : `Wrong response from the webhook: ${status}`,
        };
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 2000);
      }
    } finally {
      this.pushing = false;
    }
  }

  private async post(settings: WebhookSettings, update: Update): Promise<number> {
    try {
      const response = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(settings.secretToken ? { 'x-telegram-bot-api-secret-token': settings.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }
}

/** The chat an update happened in: a message's, or the message under a pressed button. */
function chatOf(update: Update): number | undefined {
  const message = (update['message'] ?? (update['callback_query'] as { message?: unknown } | undefined)?.message) as
    | { chat?: { id?: unknown } }
    | undefined;
  const id = message?.chat?.id;
  return typeof id === 'number' ? id : undefined;
}
