/**
 * `GET /staff/events`: one server-sent event per change a staff page may show (live-updates.ts),
 * so an open inbox or ticket refreshes itself without reloading. A comment every 25 s keeps
 * proxies and phones from closing an idle stream; the browser reconnects by itself when it drops.
 *
 * A stream is opened by a signed-in staff member, but may stay open for days: every
 * `checkEveryMs` it asks whether the session is still live and its person still staff, and ends
 * when not (signed out, here or everywhere, idle, or no longer staff), so changes stop reaching a
 * browser that would be refused a page. The browser's reconnection is then refused too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveUpdates } from './live-updates.js';

const HEARTBEAT_MS = 25_000;
/** How often an open stream checks that its staff member is still signed in. */
export const SESSION_CHECK_MS = 30_000;

export interface LiveStreamOptions {
  /** Called when the stream ends, however it ends (frees its place among the address's streams). */
  release: () => void;
  /** Whether the stream's session is still live and its person still staff. */
  stillSignedIn: () => Promise<boolean>;
  checkEveryMs?: number;
}

export function streamLiveChanges(live: LiveUpdates, request: FastifyRequest, reply: FastifyReply, options: LiveStreamOptions): void {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.write('retry: 3000\n\n');
  const unsubscribe = live.subscribe((change) => {
    response.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': still here\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearInterval(sessionCheck);
    unsubscribe();
    options.release();
  };
  let checking = false;
  const sessionCheck = setInterval(() => {
    if (checking || closed) return;
    checking = true;
    options
      .stillSignedIn()
      // A failed check (the database away for a moment) keeps the stream: the next one decides.
      .catch(() => true)
      .then((signedIn) => {
        if (signedIn || closed) return;
        close();
        response.end();
      })
      .finally(() => {
        checking = false;
      });
  }, options.checkEveryMs ?? SESSION_CHECK_MS);
  sessionCheck.unref();
  request.raw.once('close', close);
  response.once('error', close);
}
