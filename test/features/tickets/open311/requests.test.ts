import { describe, expect, it } from 'vitest';
import type { TicketForPublic } from '../../../../src/features/tickets/open311/public-ticket.js';
import {
  createdRequestJson,
  createdRequestXml,
  errorsJson,
  errorsXml,
  REQUEST_FIELDS,
  requestsJson,
  requestsXml,
} from '../../../../src/features/tickets/open311/requests.js';
import { leaves, readXml } from './xml-reader.js';

// The GeoReport v2 "GET Service Requests" response fields, in the specification's order.
const SPEC_FIELDS = [
  'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible',
  'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode',
  'lat', 'long', 'media_url',
];

const ticket: TicketForPublic = {
  serviceRequestId: 'MQ-2026-00123',
  status: 'open',
  statusNotes: null,
  serviceCode: 'environment_sanitation',
  serviceName: '环境卫生',
  description: '垃圾 <没清> & "臭"',
  agencyResponsible: '团结社区居委会',
  serviceNotice: null,
  requestedAt: new Date('2026-01-05T01:00:00Z'),
  updatedAt: new Date('2026-01-05T02:30:00Z'),
  expectedAt: new Date('2026-01-12T01:00:00Z'),
  address: '平房区/团结巷',
  lat: 39.912,
  long: 116.399,
  mediaUrl: 'https://linli.example/media/a.jpg?x=1&y=2',
};

describe('service requests, JSON', () => {
  it('writes every spec field, in order, with +08:00 datetimes', () => {
    const [record] = requestsJson([ticket], 'Asia/Shanghai');
    expect(REQUEST_FIELDS).toEqual(SPEC_FIELDS);
    expect(Object.keys(record!)).toEqual(SPEC_FIELDS);
    expect(record).toEqual({
      service_request_id: 'MQ-2026-00123',
      status: 'open',
      status_notes: null,
      service_name: '环境卫生',
      service_code: 'environment_sanitation',
      description: '垃圾 <没清> & "臭"',
      agency_responsible: '团结社区居委会',
      service_notice: null,
      requested_datetime: '2026-01-05T09:00:00+08:00',
      updated_datetime: '2026-01-05T10:30:00+08:00',
      expected_datetime: '2026-01-12T09:00:00+08:00',
      address: '平房区/团结巷',
      address_id: null,
      zipcode: null,
      lat: 39.912,
      long: 116.399,
      media_url: 'https://linli.example/media/a.jpg?x=1&y=2',
    });
  });

  it('a single request is an array of one; no expected time is null', () => {
    const list = requestsJson([{ ...ticket, expectedAt: null, status: 'closed' }], 'Asia/Shanghai');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'closed', expected_datetime: null });
  });

  it('survives a JSON round trip unchanged', () => {
    const list = requestsJson([ticket, { ...ticket, serviceRequestId: 'MQ-2026-00124' }], 'Asia/Shanghai');
    expect(JSON.parse(JSON.stringify(list))).toEqual(list);
  });
});

describe('service requests, XML', () => {
  it('has the same fields and values as the JSON, escaped, in <service_requests><request>', () => {
    const doc = requestsXml([ticket, { ...ticket, serviceRequestId: 'MQ-2026-00124', lat: null, long: null }], 'Asia/Shanghai');
    expect(doc).toContain('<description>垃圾 &lt;没清&gt; &amp; &quot;臭&quot;</description>');
    expect(doc).toContain('<media_url>https://linli.example/media/a.jpg?x=1&amp;y=2</media_url>');
    const root = readXml(doc);
    expect(root.name).toBe('service_requests');
    expect(root.children.map((c) => c.name)).toEqual(['request', 'request']);
    const json = requestsJson([ticket], 'Asia/Shanghai')[0]!;
    expect(leaves(root.children[0]!)).toEqual(SPEC_FIELDS.map((f) => [f, json[f as keyof typeof json] === null ? '' : String(json[f as keyof typeof json])]));
    expect(leaves(root.children[1]!).filter(([k]) => k === 'lat' || k === 'long')).toEqual([['lat', ''], ['long', '']]);
  });

  it('an empty result is an empty list', () => {
    expect(requestsJson([], 'Asia/Shanghai')).toEqual([]);
    expect(readXml(requestsXml([], 'Asia/Shanghai'))).toEqual({ name: 'service_requests', children: [], text: '' });
  });
});

describe('POST answer and errors', () => {
  it('returns the new ticket number at once (realtime service)', () => {
    const created = { serviceRequestId: 'MQ-2026-00125', serviceNotice: null, accountId: null };
    expect(createdRequestJson(created)).toEqual([{ service_request_id: 'MQ-2026-00125', service_notice: null, account_id: null }]);
    const root = readXml(createdRequestXml(created));
    expect(root.name).toBe('service_requests');
    expect(leaves(root.children[0]!)).toEqual([['service_request_id', 'MQ-2026-00125'], ['service_notice', ''], ['account_id', '']]);
  });

  it('writes errors as the spec shows them', () => {
    const errors = [{ code: 403, description: 'api_key <missing>' }, { code: 404, description: 'not found' }];
    expect(errorsJson(errors)).toEqual(errors);
    const root = readXml(errorsXml(errors));
    expect(root.name).toBe('errors');
    expect(root.children.map((e) => leaves(e))).toEqual([
      [['code', '403'], ['description', 'api_key <missing>']],
      [['code', '404'], ['description', 'not found']],
    ]);
  });
});
