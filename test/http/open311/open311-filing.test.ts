/**
 * Filing through Open311 POST on a real database: the ticket is a report about a place by nobody
 * the community knows — no reporter, no filer, no household, none of the request's contact
 * fields — routed and numbered like any other, audited with the key's place in the list, with
 * the number and the first-answer promise in the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AccountNotifier } from '../../../src/notify/account-notifier.js';
import { createLogger } from '../../../src/log/logger.js';
import { createHttpServer } from '../../../src/http/server.js';
import { open311Filing } from '../../../src/http/open311/open311-filing.js';
import { open311Routes } from '../../../src/http/open311/open311-routes.js';
import { NO_EVENTS } from '../../../src/events/index.js';
import type { QueuedOutboxRow } from '../../../src/outbox/outbox.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { readXml, leaves } from '../../features/tickets/open311/xml-reader.js';
import { translator } from '../../features/tickets/scheduling/harness.js';
import { seedTicketCommunity, type SeededCommunity } from '../../features/tickets/scheduling/seed.js';

const KEYS = ['first-partner-key-0123456789', 'city-hotline-key-0123456789'];

describe.each(databaseTargets())('Open311 filing on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let http: FastifyInstance;
  const dispatched: QueuedOutboxRow[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedTicketCommunity(db.prisma, { ticketSettings: { timezone: 'Asia/Shanghai' } });
    http = createHttpServer(createLogger('silent'), []);
    const tickets = { translator, notifier: new AccountNotifier({ translator }), events: NO_EVENTS };
    const outbox = { dispatch: async (rows: readonly QueuedOutboxRow[]) => void dispatched.push(...rows) };
    await http.register(open311Routes, { prefix: '/open311/v2', prisma: db.prisma, communityId: c.communityId, translator, apiKeys: KEYS, file: open311Filing({ prisma: db.prisma, tickets, outbox }) });
    await http.ready();
  });
  afterAll(async () => {
    await http?.close();
    await db?.close();
  });

  const post = (format: 'json' | 'xml', form: Record<string, string>) =>
    http.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });

  it('files a report about a place, keeps no contact field, and answers with the number and when to expect an answer', async () => {
    const response = await post('json', {
      api_key: KEYS[1]!,
      service_code: 'environment_sanitation',
      lat: '39.9042',
      long: '116.4074',
      address_string: '团结巷东口垃圾站',
      description: '垃圾站满了，气味很大',
      email: 'someone@example.org',
      first_name: '某',
      last_name: '人',
      phone: '13912345678',
      media_url: 'http://127.0.0.1:9/never-fetched.jpg',
    });
    expect(response.statusCode, response.body).toBe(201);
    const [created] = response.json() as Array<{ service_request_id: string; service_notice: string; account_id: null }>;
    expect(created!.service_request_id).toMatch(/^MQ-\d{4}-\d{5}$/);
    expect(created!.service_notice).toContain(created!.service_request_id);
    expect(created!.service_notice).toContain('首次答复');
    expect(created!.account_id).toBeNull();

    const ticket = await db.prisma.ticket.findFirstOrThrow({ where: { number: created!.service_request_id } });
    expect(ticket).toMatchObject({
      kind: 'complaint',
      category: 'environment_sanitation',
      description: '垃圾站满了，气味很大',
      placeText: '团结巷东口垃圾站',
      latitude: 39.9042,
      longitude: 116.4074,
      householdId: null,
      reporterId: null,
      filedById: null,
      status: 'new',
      photos: [],
    });
    expect(ticket.firstResponseDueAt).not.toBeNull();
    const stored = JSON.stringify(await db.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id } }));
    expect(stored).not.toContain('13912345678');
    expect(stored).not.toContain('someone@example.org');
    const event = await db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'filed' } });
    expect(event.actorId).toBeNull();
    expect(event.details).toMatchObject({ filedVia: 'open311' });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { subjectId: ticket.id } });
    expect(audit).toMatchObject({ action: 'ticket.file', via: 'api', actorId: null, details: { key: 2, eventId: event.id } });
    // The notices it wrote (to whoever the routing chose) went to the queue after the commit.
    const rows = await db.prisma.outboxMessage.findMany({ where: { refs: { some: { subjectKind: 'ticket', subjectId: ticket.id } } }, select: { id: true } });
    expect(rows.map((r) => r.id).sort()).toEqual(dispatched.filter((d) => rows.some((r) => r.id === d.id)).map((d) => d.id).sort());
  });

  it('answers in XML as well', async () => {
    const response = await post('xml', { api_key: KEYS[0]!, service_code: 'environment_sanitation', address_string: '3号院', description: '路灯不亮' });
    expect(response.statusCode, response.body).toBe(201);
    const doc = readXml(response.body);
    expect(doc.name).toBe('service_requests');
    const fields = Object.fromEntries(leaves(doc.children[0]!));
    expect(fields['service_request_id']).toMatch(/^MQ-\d{4}-\d{5}$/);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { subjectId: (await db.prisma.ticket.findFirstOrThrow({ where: { number: fields['service_request_id']! } })).id } });
    expect(audit.details).toMatchObject({ key: 1 });
  });

  it('files nothing for a bad request', async () => {
    const before = await db.prisma.ticket.count();
    expect((await post('json', { api_key: KEYS[0]!, service_code: 'environment_sanitation', address_string: '3号院' })).statusCode).toBe(400);
    expect((await post('json', { api_key: 'not-a-key', service_code: 'environment_sanitation', address_string: '3号院', description: 'x' })).statusCode).toBe(403);
    expect((await post('json', { api_key: KEYS[0]!, service_code: 'no_such_service', address_string: '3号院', description: 'x' })).statusCode).toBe(400);
    expect(await db.prisma.ticket.count()).toBe(before);
  });
});
