/**
 * PostgreSQL's LISTEN on one dedicated connection, for news every serving process must hear
 * (`pg_notify` inside a change's transaction is delivered on commit only, and to every process).
 * When the connection drops (the server restarted, a failover, a proxy's idle cut) it is opened
 * again after a second, then after twice as long each time it fails, up to half a minute, and
 * tried for as long as the listener is open. What was notified meanwhile is missed, which
 * listeners accept (a staff page refreshes with the next change or a reload).
 */
import pg from 'pg';
import type { Logger } from '../log/logger.js';

export type ChangeListener = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export interface ChangeListenerOptions {
  /** Told when the connection drops, each failed attempt, and when it is back. */
  logger?: Logger;
  /** The wait before the first attempt after a drop (default 1 s); doubled after each failure. */
  firstRetryMs?: number;
  /** The longest wait between attempts (default 30 s). */
  maxRetryMs?: number;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export function postgresChangeListener(connectionString: string, options: ChangeListenerOptions = {}): ChangeListener {
  const { logger } = options;
  const firstRetryMs = options.firstRetryMs ?? FIRST_RETRY_MS;
  const maxRetryMs = options.maxRetryMs ?? MAX_RETRY_MS;
  return async (channel, onPayload) => {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
    let client: pg.Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    let waitMs = firstRetryMs;

    /** A connection listening on the channel; a half-opened one is ended before the error is thrown. */
    const open = async (): Promise<pg.Client> => {
      const next = new pg.Client({ connectionString });
      next.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      // Always handled: an unhandled 'error' event would end the process.
      next.on('error', () => dropped(next));
      next.on('end', () => dropped(next));
      try {
        await next.connect();
        await next.query(`LISTEN ${channel}`);
      } catch (error) {
        await next.end().catch(() => {});
        throw error;
      }
      return next;
    };

    /** The current connection went away: try again later (a connection still being opened is not current). */
    const dropped = (gone: pg.Client) => {
      if (closed || client !== gone) return;
      client = undefined;
      void gone.end().catch(() => {});
      logger?.warn({ channel }, 'change listener connection dropped: reconnecting');
      waitMs = firstRetryMs;
      schedule();
    };

    const schedule = () => {
      if (closed || retry) return;
      retry = setTimeout(() => void attempt(), waitMs);
      retry.unref();
    };

    const attempt = async () => {
      retry = undefined;
      if (closed) return;
      try {
        const next = await open();
        if (closed) {
          await next.end().catch(() => {});
          return;
        }
        client = next;
        waitMs = firstRetryMs;
        logger?.info({ channel }, 'change listener reconnected');
      } catch (error) {
        waitMs = Math.min(waitMs * 2, maxRetryMs);
        logger?.warn({ err: error instanceof Error ? error.name : 'unknown', channel, retryInMs: waitMs }, 'change listener could not reconnect: trying again');
        schedule();
      }
    };

    client = await open();
    return async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = undefined;
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    };
  };
}
