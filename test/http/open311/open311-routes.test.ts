/**
 * Open311 GeoReport v2 over HTTP on a real database: discovery, search with filters, one request,
 * JSON and XML (read back with a strict parser), the spec's error bodies, anonymity, and POST
 * behind api_key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../../src/log/logger.js';
import { createHttpServer } from '../../../src/http/server.js';
import { open311Routes, type Open311Options } from '../../../src/http/open311/open311-routes.js';
import { REQUEST_FIELDS } from '../../../src/features/tickets/open311/requests.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { leaves, readXml } from '../../features/tickets/open311/xml-reader.js';
import { translator } from '../../features/tickets/scheduling/harness.js';
import { createTicket, seedTicketCommunity, type SeededCommunity } from '../../features/tickets/scheduling/seed.js';

const at = (local: string) => new Date(`${local}+08:00`);
const NOW = at('2026-03-10T12:00:00');
const API_KEY = 'open311-test-key-0123456789';

describe.each(databaseTargets())('Open311 on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  let http: FastifyInstance;
  let slug: string;
  const tickets: Record<string, { id: string; number: string }> = {};

  async function server(options: Partial<Open311Options> = {}): Promise<FastifyInstance> {
    const app = createHttpServer(createLogger('silent'), []);
    await app.register(open311Routes, { prefix: '/open311/v2', prisma: db.prisma, communityId: c.communityId, translator, apiKeys: [API_KEY], now: () => NOW, ...options });
    await app.ready();
    return app;
  }
  const get = (url: string, headers: Record<string, string> = {}) => http.inject({ method: 'GET', url: `/open311/v2/${url}`, headers });
  const json = async (url: string) => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    return response.json() as Array<Record<string, unknown>>;
  };
  const ids = async (url: string) => (await json(url)).map((r) => r['service_request_id']);

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedTicketCommunity(db.prisma, { ticketSettings: { timezone: 'Asia/Shanghai' } });
    slug = (await db.prisma.community.findUniqueOrThrow({ where: { id: c.communityId } })).slug;
    const reporter = await db.prisma.resident.create({ data: { communityId: c.communityId, householdId: c.householdId, name: '王小明', phone: '13900001111' } });
    const common = { areaId: c.laneId, householdId: c.householdId, reporterId: reporter.id, firstResponseDueAt: at('2026-03-07T10:00:00') };
    tickets['lamp'] = await createTicket(db.prisma, c.communityId, {
      ...common,
      category: 'environment_sanitation',
      status: 'in_progress',
      description: '东门路灯坏了，联系 138 1234 5678 <b>&</b>',
      // The resident agreed to publish their words.
      publishText: true,
      placeText: '东门路灯',
      latitude: 39.123456,
      longitude: 116.654321,
      createdAt: at('2026-03-05T10:00:00'),
      publicResolutionDueAt: at('2026-03-12T10:00:00'),
    });
    tickets['leak'] = await createTicket(db.prisma, c.communityId, {
      ...common,
      category: 'utilities_roads',
      status: 'resolved',
      anonymous: true,
      description: '王小明家楼下漏水',
      createdAt: at('2026-03-06T09:00:00'),
      finishedAt: at('2026-03-06T18:00:00'),
      resolvedAt: at('2026-03-06T18:00:00'),
    });
    tickets['dispute'] = await createTicket(db.prisma, c.communityId, { ...common, category: 'neighbour_dispute', createdAt: at('2026-03-06T10:00:00') });
    tickets['withdrawn'] = await createTicket(db.prisma, c.communityId, { ...common, category: 'environment_sanitation', status: 'withdrawn', createdAt: at('2026-03-07T10:00:00') });
    tickets['old'] = await createTicket(db.prisma, c.communityId, {
      ...common,
      category: 'public_security',
      status: 'closed',
      placeText: '3号院门口',
      createdAt: at('2025-10-01T10:00:00'),
    });
    http = await server();
  });
  afterAll(async () => {
    await http?.close();
    await db?.close();
  });

  it('lists the public services in the asked language, JSON and XML', async () => {
    const services = await json('services.json');
    expect(services.map((s) => s['service_code'])).toEqual(['environment_sanitation', 'utilities_roads', 'public_security']);
    expect(services[0]).toEqual({
      service_code: 'environment_sanitation',
      service_name: '环境卫生',
      description: '环境卫生',
      metadata: false,
      type: 'realtime',
      keywords: '',
      group: '团结路社区',
    });
    const english = (await get('services.json', { 'accept-language': 'en-US,en;q=0.8' })).json() as Array<Record<string, unknown>>;
    expect(english[0]!['service_name']).toBe('Environment and sanitation');

    const xml = await get('services.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = readXml(xml.body);
    expect(root.name).toBe('services');
    expect(root.children.map((s) => leaves(s).find(([k]) => k === 'service_code')?.[1])).toEqual(['environment_sanitation', 'utilities_roads', 'public_security']);
    expect(leaves(root.children[0]!).map(([k]) => k)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
  });

  it('defines a public service, and answers 404 for one that is not public', async () => {
    expect(await get('services/utilities_roads.json').then((r) => r.json())).toEqual({ service_code: 'utilities_roads', attributes: [] });
    const xml = readXml((await get('services/utilities_roads.xml')).body);
    expect([xml.name, leaves(xml)]).toEqual(['service_definition', [['service_code', 'utilities_roads'], ['attributes', '']]]);
    const hidden = await get('services/neighbour_dispute.json');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual([{ code: 404, description: 'service_code neighbour_dispute not found' }]);
  });

  it('lists the last 90 days of published requests, newest first, every field, with the community offset', async () => {
    const requests = await json('requests.json');
    expect(requests.map((r) => r['service_request_id'])).toEqual([tickets['leak']!.number, tickets['lamp']!.number]);
    for (const r of requests) expect(Object.keys(r)).toEqual([...REQUEST_FIELDS]);
    const [leak, lamp] = requests;
    expect(lamp).toMatchObject({
      status: 'open',
      service_code: 'environment_sanitation',
      service_name: '环境卫生',
      description: '东门路灯坏了，联系 *** <b>&</b>',
      agency_responsible: '团结路社区',
      requested_datetime: '2026-03-05T10:00:00+08:00',
      expected_datetime: '2026-03-12T10:00:00+08:00',
      address: '东门路灯',
      lat: 39.123,
      long: 116.654,
      media_url: null,
    });
    expect(lamp!['updated_datetime']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    // Anonymous: no words, no point, only the lane.
    expect(leak).toMatchObject({ status: 'closed', description: null, address: '平房区/团结巷', lat: null, long: null, requested_datetime: '2026-03-06T09:00:00+08:00' });
  });

  it('never shows names, phones or the household address', async () => {
    for (const url of ['requests.json', 'requests.xml', `requests/${tickets['leak']!.number}.json`, `service_request_id=${tickets['leak']!.number}`]) {
      const body = url.startsWith('service_request_id') ? (await get(`requests.json?${url}`)).body : (await get(url)).body;
      for (const secret of ['王小明', '13900001111', '138 1234 5678', '团结巷 3 号', '漏水']) expect({ url, leaks: body.includes(secret) }).toEqual({ url, leaks: false });
    }
  });

  it('publishes a resident’s words only when they agreed or staff released them: the category and area always', async () => {
    const words = { description: '我是张秀兰，楼道灯坏了，请回电 139.8642.9753', placeText: '张秀兰家门口的路灯' };
    const ticket = await createTicket(db.prisma, c.communityId, {
      areaId: c.laneId,
      householdId: c.householdId,
      firstResponseDueAt: at('2026-03-07T10:00:00'),
      category: 'environment_sanitation',
      status: 'in_progress',
      ...words,
      createdAt: at('2020-01-01T10:00:00'),
    });
    try {
      const [unasked] = await json(`requests/${ticket.number}.json`);
      expect(unasked).toMatchObject({ service_code: 'environment_sanitation', description: null, address: '平房区/团结巷' });
      for (const body of [JSON.stringify(unasked), (await get(`requests/${ticket.number}.xml`)).body]) {
        for (const secret of ['张秀兰', '139.8642.9753', '8642', '路灯']) expect({ secret, leaks: body.includes(secret) }).toEqual({ secret, leaks: false });
      }

      await db.prisma.ticket.update({ where: { id: ticket.id }, data: { publishText: true } });
      const [released] = await json(`requests/${ticket.number}.json`);
      // Released: the words, every number in them hidden however it was written.
      expect(released).toMatchObject({ description: '我是张秀兰，楼道灯坏了，请回电 ***', address: '张秀兰家门口的路灯' });
    } finally {
      await db.prisma.ticket.delete({ where: { id: ticket.id } });
    }
  });

  it('writes the same requests as well-formed XML', async () => {
    const response = await get('requests.xml');
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = readXml(response.body);
    expect(root.name).toBe('service_requests');
    expect(root.children.map((r) => r.name)).toEqual(['request', 'request']);
    const [leak, lamp] = root.children.map((r) => Object.fromEntries(leaves(r)));
    expect(leaves(root.children[0]!).map(([k]) => k)).toEqual([...REQUEST_FIELDS]);
    expect(lamp).toMatchObject({ description: '东门路灯坏了，联系 *** <b>&</b>', lat: '39.123', requested_datetime: '2026-03-05T10:00:00+08:00' });
    expect(leak).toMatchObject({ service_request_id: tickets['leak']!.number, description: '', lat: '', address: '平房区/团结巷' });
  });

  it('filters by service code, status, dates and ids', async () => {
    const { lamp, leak, old, dispute } = tickets as Record<string, { number: string }>;
    expect(await ids('requests.json?service_code=utilities_roads')).toEqual([leak!.number]);
    expect(await ids('requests.json?service_code=utilities_roads,environment_sanitation&status=open')).toEqual([lamp!.number]);
    expect(await ids('requests.json?status=closed')).toEqual([leak!.number]);
    expect(await ids('requests.json?status=open,closed')).toEqual([leak!.number, lamp!.number]);
    const day = `start_date=${encodeURIComponent('2026-03-06T00:00:00+08:00')}&end_date=${encodeURIComponent('2026-03-07T00:00:00+08:00')}`;
    expect(await ids(`requests.json?${day}`)).toEqual([leak!.number]);
    // Inclusive at both ends: a request filed at the start instant is in.
    expect(await ids(`requests.json?start_date=${encodeURIComponent('2026-03-05T10:00:00+08:00')}&end_date=${encodeURIComponent('2026-03-05T10:00:00+08:00')}`)).toEqual([lamp!.number]);
    expect(await ids(`requests.json?start_date=${encodeURIComponent('2025-09-15T00:00:00+08:00')}`)).toEqual([old!.number]);
    // An unpublished ticket is left out even when asked for by id.
    expect(await ids(`requests.json?service_request_id=${lamp!.number},${dispute!.number}`)).toEqual([lamp!.number]);
    expect(await ids(`requests.json?jurisdiction_id=${slug}`)).toEqual([leak!.number, lamp!.number]);
  });

  it('answers bad parameters with 400 and the spec’s error body, in JSON and XML', async () => {
    for (const query of ['status=pending', 'start_date=yesterday', `start_date=${encodeURIComponent('2025-01-01T00:00:00Z')}&end_date=${encodeURIComponent('2025-06-01T00:00:00Z')}`, 'service_code=neighbour_dispute']) {
      const response = await get(`requests.json?${query}`);
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
      const body = response.json() as Array<{ code: number; description: string }>;
      expect(body).toHaveLength(1);
      expect(body[0]!.code).toBe(400);
      expect(body[0]!.description.length).toBeGreaterThan(5);
    }
    const xml = await get('requests.xml?status=pending');
    expect(xml.statusCode).toBe(400);
    const root = readXml(xml.body);
    expect(root.name).toBe('errors');
    expect(leaves(root.children[0]!)).toEqual([
      ['code', '400'],
      ['description', 'status must be open, closed or both (comma-delimited), not "pending"'],
    ]);
    expect((await get('requests.json?jurisdiction_id=elsewhere')).statusCode).toBe(404);
  });

  it('shows one request by id, and 404 for an unpublished, withdrawn or unknown one', async () => {
    const one = (await get(`requests/${tickets['lamp']!.number}.json`)).json() as Array<Record<string, unknown>>;
    expect(one.map((r) => r['service_request_id'])).toEqual([tickets['lamp']!.number]);
    const xml = readXml((await get(`requests/${tickets['leak']!.number}.xml`)).body);
    expect(xml.children.map((r) => Object.fromEntries(leaves(r))['service_request_id'])).toEqual([tickets['leak']!.number]);
    for (const id of [tickets['dispute']!.number, tickets['withdrawn']!.number, 'MQ-2026-99999']) {
      const response = await get(`requests/${id}.json`);
      expect({ id, status: response.statusCode, body: response.json() }).toEqual({ id, status: 404, body: [{ code: 404, description: `service_request_id ${id} not found` }] });
    }
    expect((await get('requests/whatever')).statusCode).toBe(404);
  });

  it('refuses a POST without a valid api_key, and says so when the process serves no filing', async () => {
    const post = (app: FastifyInstance, format: string, form: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `/open311/v2/requests.${format}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
    const form = { service_code: 'environment_sanitation', lat: '39.1', long: '116.6', description: '垃圾没有清运' };
    const missing = await post(http, 'json', form);
    expect([missing.statusCode, missing.json()]).toEqual([403, [{ code: 403, description: 'api_key is missing or not valid' }]]);
    expect((await post(http, 'json', { ...form, api_key: 'wrong-key-wrong-key-wrong' })).statusCode).toBe(403);
    const accepted = await post(http, 'json', { ...form, api_key: API_KEY });
    expect([accepted.statusCode, accepted.json()]).toEqual([501, [{ code: 501, description: 'filing requests through Open311 is not available on this server' }]]);
    const xml = await post(http, 'xml', { ...form, api_key: API_KEY });
    expect([xml.statusCode, readXml(xml.body).name]).toEqual([501, 'errors']);
    expect(await db.prisma.ticket.count({ where: { communityId: c.communityId } })).toBe(5);

    const closed = await server({ apiKeys: [] });
    try {
      const refused = await post(closed, 'json', { ...form, api_key: API_KEY });
      expect([refused.statusCode, refused.json()]).toEqual([403, [{ code: 403, description: 'filing requests is not enabled on this server' }]]);
    } finally {
      await closed.close();
    }
  });

  it('with a filing function, checks the fields and answers with the new request id', async () => {
    const filed: unknown[] = [];
    const app = await server({
      file: async (_communityId, input, key) => {
        filed.push({ ...input, key });
        return { serviceRequestId: 'MQ-2026-00999', serviceNotice: null, accountId: null };
      },
    });
    try {
      const post = (form: Record<string, string>) =>
        app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ api_key: API_KEY, ...form }).toString() });
      expect((await post({ service_code: 'environment_sanitation' })).json()).toEqual([{ code: 400, description: 'a location is required: lat and long, or address_string' }]);
      expect((await post({ service_code: 'neighbour_dispute', address_string: '3号院' })).statusCode).toBe(400);
      expect((await post({ service_code: 'environment_sanitation', lat: 'north', long: '116' })).statusCode).toBe(400);
      expect((await post({ service_code: 'environment_sanitation', address_string: '3号院' })).json()).toEqual([{ code: 400, description: 'description is required by this jurisdiction' }]);
      expect((await post({ service_code: 'environment_sanitation', address_string: '3号院', description: '长'.repeat(2001) })).statusCode).toBe(400);
      const created = await post({ service_code: 'environment_sanitation', address_string: '3号院门口', description: '垃圾没有清运' });
      expect([created.statusCode, created.json()]).toEqual([201, [{ service_request_id: 'MQ-2026-00999', service_notice: null, account_id: null }]]);
      expect(filed).toEqual([{ serviceCode: 'environment_sanitation', description: '垃圾没有清运', lat: null, long: null, addressString: '3号院门口', key: 1 }]);
    } finally {
      await app.close();
    }
  });
});
