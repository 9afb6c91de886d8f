/** GeoReport v2 search parameters: what is accepted, the 90-day range and its defaults, errors. */
import { describe, expect, it } from 'vitest';
import { parseRequestQuery } from '../../../src/http/open311/request-query.js';

const now = new Date('2026-03-10T12:00:00+08:00');
const ctx = { now, publicServiceCodes: ['environment_sanitation', 'utilities_roads'], jurisdictionId: 'tuanjie' };
const DAY = 86_400_000;

describe('parseRequestQuery', () => {
  it('defaults to the 90 days before now, every public service, both statuses', () => {
    expect(parseRequestQuery({}, ctx)).toEqual({
      ok: true,
      query: { kind: 'search', serviceCodes: null, statuses: null, from: new Date(now.getTime() - 90 * DAY), to: now },
    });
  });

  it('takes the 90 days after a start alone, and before an end alone', () => {
    const start = new Date('2026-01-01T00:00:00+08:00');
    const fromStart = parseRequestQuery({ start_date: '2026-01-01T00:00:00+08:00' }, ctx);
    expect(fromStart.ok && fromStart.query.kind === 'search' && [fromStart.query.from, fromStart.query.to]).toEqual([start, new Date(start.getTime() + 90 * DAY)]);
    const toEnd = parseRequestQuery({ end_date: '2026-01-01T00:00:00Z' }, ctx);
    expect(toEnd.ok && toEnd.query.kind === 'search' && toEnd.query.from).toEqual(new Date(Date.parse('2026-01-01T00:00:00Z') - 90 * DAY));
  });

  it('accepts exactly 90 days and refuses one second more', () => {
    expect(parseRequestQuery({ start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-04-01T00:00:00+08:00' }, ctx).ok).toBe(true);
    expect(parseRequestQuery({ start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-04-01T00:00:01+08:00' }, ctx)).toEqual({
      ok: false,
      error: { code: 400, description: 'start_date and end_date may not span more than 90 days' },
    });
  });

  it('refuses dates without a zone, nonsense, and a start after the end', () => {
    for (const start_date of ['2026-01-01', '2026-01-01T00:00:00', 'yesterday', '2026-13-45T00:00:00Z']) {
      const result = parseRequestQuery({ start_date }, ctx);
      expect({ start_date, ok: result.ok, code: !result.ok && result.error.code }).toEqual({ start_date, ok: false, code: 400 });
    }
    expect(parseRequestQuery({ start_date: '2026-02-02T00:00:00Z', end_date: '2026-02-01T00:00:00Z' }, ctx).ok).toBe(false);
  });

  it('reads comma-delimited and repeated service codes and statuses, and refuses unknown ones', () => {
    const both = parseRequestQuery({ service_code: 'utilities_roads,environment_sanitation', status: ['open', 'closed'] }, ctx);
    expect(both.ok && both.query.kind === 'search' && [both.query.serviceCodes, both.query.statuses]).toEqual([
      ['utilities_roads', 'environment_sanitation'],
      ['open', 'closed'],
    ]);
    expect(parseRequestQuery({ service_code: 'neighbour_dispute' }, ctx)).toEqual({
      ok: false,
      error: { code: 400, description: 'service_code neighbour_dispute is not a service of this jurisdiction' },
    });
    expect(parseRequestQuery({ status: 'pending' }, ctx).ok).toBe(false);
    expect(parseRequestQuery({ status: '' }, ctx).ok).toBe(false);
  });

  it('lets service_request_id override every other argument, as the spec says', () => {
    expect(parseRequestQuery({ service_request_id: 'MQ-2026-00001, MQ-2026-00002', status: 'pending' }, ctx)).toEqual({
      ok: true,
      query: { kind: 'ids', ids: ['MQ-2026-00001', 'MQ-2026-00002'] },
    });
    expect(parseRequestQuery({ service_request_id: "x' OR 1=1" }, ctx).ok).toBe(false);
  });

  it('answers 404 for another jurisdiction and accepts its own', () => {
    expect(parseRequestQuery({ jurisdiction_id: 'elsewhere' }, ctx)).toEqual({ ok: false, error: { code: 404, description: 'jurisdiction_id elsewhere is not served here' } });
    expect(parseRequestQuery({ jurisdiction_id: 'tuanjie' }, ctx).ok).toBe(true);
  });
});
