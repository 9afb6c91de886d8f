/**
 * Every route's error handler hides what went wrong inside: whatever a route throws (here an
 * error whose message holds SQL, a source path and a line of code, as Prisma's do) is answered
 * with a plain status and logged at error level — never echoed to the client.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../src/log/logger.js';
import { createHttpServer } from '../../src/http/server.js';
import { registerTelegramWebhookRoute, SECRET_HEADER } from '../../src/channels/telegram/webhook-route.js';
import type { TelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { registerWeChatAdminRoutes } from '../../src/channels/wechat/admin-routes.js';
import type { WeChatLoginStatus } from '../../src/channels/wechat/login-status.js';
import { open311Routes } from '../../src/http/open311/open311-routes.js';
import { translator } from '../features/tickets/scheduling/harness.js';
import { INTERNALS } from '../support/internals.js';
import { createTestDatabase } from '../support/database.js';
import { seedTicketCommunity } from '../features/tickets/scheduling/seed.js';
import { newBrowser, startWebChat } from '../channels/web/web-chat-harness.js';

const SECRET = 'webhook-secret-0123456789';
const KEY = 'open311-key-0123456789';
const INTERNAL_ERROR = () =>
  Object.assign(new Error('Invalid `tx.ticket.create()` invocation in\n/work/src/features/tickets/service/file-ticket.ts:132:34\n→ 132 const ticket = await tx.ticket.create(\nDatabase error: SELECT * FROM "Ticket"'), { code: 'P2039' });

/** A server whose error-level log lines are kept. */
function serverWithLog(): { http: FastifyInstance; errors: Array<Record<string, unknown>> } {
  const errors: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as Record<string, unknown>;
      if (line['level'] === 50) errors.push(line);
      done();
    },
  });
  return { http: createHttpServer(createLogger('error', sink), []), errors };
}

describe('error handlers hide internals', () => {
  let http: FastifyInstance | undefined;
  afterEach(async () => {
    await http?.close();
  });

  const expectHidden = (response: { statusCode: number; body: string }, errors: unknown[]) => {
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(INTERNALS);
    expect(response.body).not.toContain('Database error');
    expect(errors).toHaveLength(1);
  };

  it('a route on the server itself: 500 with the status’s name only; unknown routes get a plain 404', async () => {
    const server = serverWithLog();
    http = server.http;
    http.get('/boom', async () => {
      throw INTERNAL_ERROR();
    });
    const response = await http.inject({ method: 'GET', url: '/boom' });
    expectHidden(response, server.errors);
    expect(response.json()).toEqual({ error: 'Internal Server Error' });
    const missing = await http.inject({ method: 'POST', url: '/nowhere/at/all' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found' });
  });

  it('the Telegram webhook', async () => {
    const server = serverWithLog();
    http = server.http;
    const channel = {
      webhook: { url: 'https://bot.example.org/telegram/hook', secret: SECRET },
      receiveWebhookUpdate: async () => {
        throw INTERNAL_ERROR();
      },
    } as unknown as TelegramChannel;
    registerTelegramWebhookRoute(http, channel);
    const response = await http.inject({ method: 'POST', url: '/telegram/hook', headers: { [SECRET_HEADER]: SECRET }, payload: { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'hi' } } });
    expectHidden(response, server.errors);
  });

  it('the WeChat admin page', async () => {
    const server = serverWithLog();
    http = server.http;
    const login = { view: () => { throw INTERNAL_ERROR(); } } as unknown as WeChatLoginStatus;
    registerWeChatAdminRoutes(http, { login, translator, defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai', token: 'admin-token' });
    const response = await http.inject({ method: 'GET', url: '/admin/wechat?token=admin-token' });
    expectHidden(response, server.errors);
  });

  it('Open311, in the spec’s error format', async () => {
    const server = serverWithLog();
    http = server.http;
    const db = await createTestDatabase();
    try {
      const c = await seedTicketCommunity(db.prisma, { ticketSettings: { timezone: 'Asia/Shanghai' } });
      await http.register(open311Routes, { prefix: '/open311/v2', prisma: db.prisma, communityId: c.communityId, translator, apiKeys: [KEY], file: async () => { throw INTERNAL_ERROR(); } });
      for (const format of ['json', 'xml'] as const) {
        server.errors.length = 0;
        const form = new URLSearchParams({ api_key: KEY, service_code: 'environment_sanitation', address_string: '3号院', description: '路灯不亮' });
        const response = await http.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
        expectHidden(response, server.errors);
        expect(response.body).toContain('the request could not be handled; try again later');
      }
    } finally {
      await http.close();
      await db.close();
    }
  });

  it('the web chat, in the browser’s language', async () => {
    const chat = await startWebChat();
    try {
      chat.channel.latestRows = async () => { throw INTERNAL_ERROR(); };
      const response = await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie: newBrowser().cookie, 'accept-language': 'en' } });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toMatch(INTERNALS);
      expect(response.json()).toEqual({ error: 'unavailable', message: 'The service is unavailable right now. Please try again later.' });
    } finally {
      await chat.close();
    }
  });
});
