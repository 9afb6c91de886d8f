/**
 * PostgreSQL's LISTEN on one dedicated connection, for news every serving process must hear
 * (`pg_notify` inside a change's transaction is delivered on commit only, and to every process).
 * The connection is opened again a second after it drops; what was notified meanwhile is missed,
 * which listeners accept (a staff page refreshes with the next change or a reload).
 */
import pg from 'pg';
import type { Logger } from '../log/logger.js';

export type ChangeListener = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

const RECONNECT_MS = 1_000;

export function postgresChangeListener(connectionString: string, logger?: Logger): ChangeListener {
  return async (channel, onPayload) => {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
    let client: pg.Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString });
      next.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      next.on('error', () => reconnect(next));
      next.on('end', () => reconnect(next));
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
    };
    const reconnect = (dropped: pg.Client) => {
      if (closed || client !== dropped || retry) return;
      client = undefined;
      retry = setTimeout(() => {
        retry = undefined;
        connect().catch((error: unknown) => {
          logger?.warn({ err: error instanceof Error ? error.name : 'unknown', channel }, 'change listener could not reconnect');
          if (!closed) retry = setTimeout(() => void connect().catch(() => {}), RECONNECT_MS * 5);
        });
      }, RECONNECT_MS);
      retry.unref();
    };
    await connect();
    return async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    };
  };
}
