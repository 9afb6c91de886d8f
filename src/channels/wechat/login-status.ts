/**
 * Where the WeChat login stands, for /healthz, the admin page and the logs. The QR code's value
 * is kept apart from the public status: whoever scans it logs their WeChat account in as the
 * bot, so it is shown only on the protected admin page and in the terminal.
 */
import { EventEmitter } from 'node:events';

export type WeChatLoginState = 'starting' | 'waiting-for-scan' | 'logged-in' | 'logged-out';

/** What /healthz may show: no QR code, no names. */
export interface WeChatStatus {
  state: WeChatLoginState;
  /** When the state last changed (ISO 8601). */
  since: string;
}

/** The login QR code while one is waiting to be scanned. */
export interface PendingLoginCode {
  /** The login URL the QR code encodes. */
  value: string;
  /** Scanned on a phone, waiting for the person to confirm there. */
  scanned: boolean;
}

/** Admin page view: the status, the bot's own WeChat id when logged in, the pending QR code. */
export interface WeChatLoginView extends WeChatStatus {
  botId?: string;
  code?: PendingLoginCode;
}

export class WeChatLoginStatus {
  private state: WeChatLoginState = 'starting';
  private since: Date;
  private botId: string | undefined;
  private code: PendingLoginCode | undefined;
  private readonly changes = new EventEmitter();

  constructor(private readonly now: () => number = Date.now) {
    this.since = new Date(now());
  }

  status(): WeChatStatus {
    return { state: this.state, since: this.since.toISOString() };
  }

  view(): WeChatLoginView {
    const view: WeChatLoginView = this.status();
    if (this.botId) view.botId = this.botId;
    if (this.code) view.code = { ...this.code };
    return view;
  }

  /** The logged-in account's id, used in external message ids. */
  get loggedInAs(): string | undefined {
    return this.state === 'logged-in' ? this.botId : undefined;
  }

  starting(): void {
    this.code = undefined;
    this.move('starting');
  }

  /** A (new) QR code to scan, or the current one was scanned and awaits confirmation. */
  waitingForScan(code: PendingLoginCode): void {
    this.code = code;
    this.botId = undefined;
    this.move('waiting-for-scan');
  }

  loggedIn(botId: string): void {
    this.code = undefined;
    this.botId = botId;
    this.move('logged-in');
  }

  loggedOut(): void {
    this.code = undefined;
    this.botId = undefined;
    this.move('logged-out');
  }

  /** Calls `listener` after every change (also a new or scanned QR code); returns the unsubscribe call. */
  onChange(listener: (status: WeChatStatus) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  private move(state: WeChatLoginState): void {
    // A refreshed QR code keeps the time the wait began: `since` is when the state changed.
    if (state !== this.state) {
      this.state = state;
      this.since = new Date(this.now());
    }
    this.changes.emit('change', this.status());
  }
}
