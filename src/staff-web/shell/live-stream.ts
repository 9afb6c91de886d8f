/**
 * `GET /staff/events`: one server-sent event per change a staff page may show (live-updates.ts),
 * so an open inbox or ticket refreshes itself without reloading. A comment every 25 s keeps
 * proxies and phones from closing an idle stream; the browser reconnects by itself when it drops.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveUpdates } from './live-updates.js';

const HEARTBEAT_MS = 25_000;

export function streamLiveChanges(live: LiveUpdates, request: FastifyRequest, reply: FastifyReply, release: () => void): void {
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
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    release();
  };
  request.raw.once('close', close);
  response.once('error', close);
}
