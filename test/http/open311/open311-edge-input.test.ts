/**
 * Open311 POST under attack, on a real database: text that cannot be stored, malformed bodies,
 * wrong content types and huge bodies are refused with the spec's error body and a plain
 * description — never a database error, a source path or code — and a missing or wrong key is
 * refused before the body is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import { createLogger } from '../../../src/log/logger.js';
import { createHttpServer } from '../../../src/http/server.js';
import { open311Filing } from '../../../src/http/open311/open311-filing.js';
import { open311Routes } from '../../../src/http/open311/open311-routes.js';
import { NO_EVENTS } from '../../../src/events/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { INTERNALS } from '../../support/internals.js';
import { translator } from '../../features/tickets/scheduling/harness.js';
import { seedTicketCommunity, type SeededCommunity } from '../../features/tickets/scheduling/seed.js';

const KEY = 'first-partner-key-0123456789';
const MB12 = 12 * 1024 * 1024;

describe.each(databaseTargets())('Open311 input at the edge on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let http: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedTicketCommunity(db.prisma, { ticketSettings: { timezone: 'Asia/Shanghai' } });
    http = createHttpServer(createLogger('silent'), []);
    const tickets = { translator, notifier: new AccountNotifier({ translator }), events: NO_EVENTS };
    const outbox = { dispatch: async () => undefined };
    await http.register(open311Routes, { prefix: '/open311/v2', prisma: db.prisma, communityId: c.communityId, translator, apiKeys: [KEY], file: open311Filing({ prisma: db.prisma, tickets, outbox }) });
    await http.ready();
  });
  afterAll(async () => {
    await http?.close();
    await db?.close();
  });

  const post = (format: 'json' | 'xml', contentType: string, payload: string | Buffer, query = '') =>
    http.inject({ method: 'POST', url: `/open311/v2/requests.${format}${query}`, headers: { 'content-type': contentType }, payload });
  const plainRefusal = (response: { statusCode: number; body: string }, status: number) => {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.body).not.toMatch(INTERNALS);
  };

  it('refuses a NUL character or a lone surrogate in the description with a plain 400', async () => {
    const fields = { api_key: KEY, service_code: 'environment_sanitation', address_string: '3号院' };
    const form = await post('json', 'application/x-www-form-urlencoded', new URLSearchParams({ ...fields, description: '路灯\u0000坏了' }).toString());
    plainRefusal(form, 400);
    expect(form.json()).toEqual([{ code: 400, description: 'description contains a character that cannot be stored (NUL or a lone surrogate)' }]);
    const json = await post('json', 'application/json', `{"api_key":"${KEY}","service_code":"environment_sanitation","address_string":"3号院","description":"灯 \\ud83d 坏了"}`);
    plainRefusal(json, 400);
    const xml = await post('xml', 'application/json', `{"api_key":"${KEY}","service_code":"environment_sanitation","address_string":"3\\u0000号院","description":"x"}`);
    plainRefusal(xml, 400);
    expect(xml.body).toContain('<description>address_string contains a character that cannot be stored');
    expect(await db.prisma.ticket.count({ where: { communityId: c.communityId } })).toBe(0);
  });

  it('answers malformed JSON, wrong content types and huge bodies in the spec’s error format', async () => {
    const bad = await post('json', 'application/json', '{"api_key":');
    plainRefusal(bad, 400);
    expect(bad.json()).toEqual([{ code: 400, description: 'the request could not be read' }]);
    const type = await post('xml', 'text/csv', 'a,b');
    plainRefusal(type, 415);
    expect(type.body).toContain('<code>415</code>');
    const huge = await post('json', 'application/x-www-form-urlencoded', Buffer.alloc(MB12, 'a'));
    plainRefusal(huge, 413);
    expect(huge.json()[0].code).toBe(413);
  });

  it('takes at most OPEN311_POSTS_PER_MINUTE POSTs from one address, and none fewer from another', async () => {
    const limited = createHttpServer(createLogger('silent'), []);
    await limited.register(open311Routes, { prefix: '/open311/v2', prisma: db.prisma, communityId: c.communityId, translator, apiKeys: [KEY], postsPerMinute: 3 });
    try {
      const postFrom = (remoteAddress: string) =>
        limited.inject({ method: 'POST', url: '/open311/v2/requests.xml', remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'api_key=wrong-key-0123456789' });
      for (let i = 0; i < 3; i += 1) expect((await postFrom('192.0.2.10')).statusCode).toBe(403);
      const refused = await postFrom('192.0.2.10');
      plainRefusal(refused, 429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toContain('<description>too many requests from this address; try again later</description>');
      expect((await postFrom('198.51.100.20')).statusCode).toBe(403);
    } finally {
      await limited.close();
    }
  });

  it('refuses a wrong key given in the address before reading a huge body', async () => {
    const wrong = await post('json', 'application/x-www-form-urlencoded', Buffer.alloc(MB12, 'a'), '?api_key=not-a-key-0123456789');
    plainRefusal(wrong, 403);
    expect(wrong.json()).toEqual([{ code: 403, description: 'api_key is missing or not valid' }]);
    const fields = new URLSearchParams({ service_code: 'environment_sanitation', address_string: '3号院', description: '路灯不亮' }).toString();
    const right = await post('json', 'application/x-www-form-urlencoded', fields, `?api_key=${KEY}`);
    expect(right.statusCode, right.body).toBe(201);
  });
});
