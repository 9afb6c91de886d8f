/**
 * Server-Sent Events for one open page: every new row of its session, in the process that
 * wrote it at once (in-process events), and from any other process (a delivery worker, another
 * web process) through a database re-check every few seconds.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.js';
import type { ChatRowView } from './chat-rows.js';
import type { WebChannel } from './web-channel.js';
import { errorFields } from '../../log/error-fields.js';

export interface EventStreamTiming {
  /** How often the database is re-checked for rows written elsewhere. */
  pollMs: number;
  /** How often a comment line is sent so proxies and browsers keep the connection. */
  heartbeatMs: number;
}

export const DEFAULT_EVENT_STREAM_TIMING: EventStreamTiming = { pollMs: 3000, heartbeatMs: 15000 };

/**
 * How many of the newest sent rows are remembered. A re-check looks from the oldest of them,
 * so a row that committed late (its seq lower than one already sent) is still delivered.
 */
const REMEMBERED = 32;

/** Most rows sent in one catch-up or re-check; the page pages through history itself. */
const BATCH = 500;

/** Streams rows after `after` to `response` until the client leaves or the channel stops. */
export function streamSessionRows(
  channel: WebChannel,
  sessionId: string,
  after: bigint,
  response: ServerResponse,
  timing: EventStreamTiming,
  logger: Logger,
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  response.write('retry: 3000\n\n');

  /** The newest sent seqs, ascending, at most REMEMBERED of them. */
  const recent: bigint[] = [];
  let closed = false;
  let polling = false;

  const floor = () => (recent.length < REMEMBERED ? after : (recent[0] ?? after));

  const deliver = (row: ChatRowView) => {
    if (closed) return;
    const seq = BigInt(row.seq);
    if (seq <= floor() || recent.includes(seq)) return;
    recent.push(seq);
    recent.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (recent.length > REMEMBERED) recent.shift();
    response.write(`id: ${row.seq}\ndata: ${JSON.stringify(row)}\n\n`);
  };

  const recheck = async () => {
    if (closed || polling) return;
    polling = true;
    try {
      const rows = await channel.rowsAfter(sessionId, floor(), BATCH);
      rows.forEach(deliver);
    } catch (error) {
      logger.warn({ err: errorFields(error), channel: 'web' }, 'web chat event stream re-check failed');
    } finally {
      polling = false;
    }
  };

  const unsubscribe = channel.subscribe(sessionId, deliver);
  const poll = setInterval(() => void recheck(), timing.pollMs);
  const heartbeat = setInterval(() => {
    if (!closed) response.write(': ping\n\n');
  }, timing.heartbeatMs);

  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    clearInterval(heartbeat);
    unsubscribe();
    stopListening();
    response.end();
  };
  const stopListening = channel.onStop(close);
  response.on('close', close);
  response.on('error', close);

  // Subscribed first, so nothing written during the catch-up query is missed.
  void recheck();
}
