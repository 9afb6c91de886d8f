/**
 * GeoReport v2 `GET requests` parameters, checked before any query runs (pure).
 *
 * - `service_request_id`: one or more ids, comma-delimited; when given it overrides every other
 *   argument, as the spec says.
 * - `service_code`: one or more public service codes, comma-delimited; an unknown one is an error
 *   (a typo must not look like "no requests").
 * - `start_date` / `end_date`: W3C datetimes with a zone (`2026-03-01T00:00:00+08:00` or `…Z`)
 *   on `requested_datetime`; the range may not exceed 90 days and defaults to the 90 days before
 *   `end_date` (or now); a start alone covers the 90 days after it.
 * - `status`: `open`, `closed` or both, comma-delimited.
 * - `jurisdiction_id`: optional; when given it must be this community's (its slug).
 *
 * Error descriptions are for API client developers, in English like the spec itself.
 */
import type { Open311Error } from '../../features/tickets/open311/requests.js';

export const MAX_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;
/** ISO 8601 / W3C datetime with seconds optional and a zone required. */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Ticket numbers: letters, digits and hyphens (MQ-2026-00123). */
const REQUEST_ID = /^[A-Za-z0-9-]{1,40}$/;
const MAX_IDS = 100;

export type PublicStatus = 'open' | 'closed';

export type RequestQuery =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'search'; serviceCodes: string[] | null; from: Date; to: Date; statuses: PublicStatus[] | null };

export type QueryResult = { ok: true; query: RequestQuery } | { ok: false; error: Open311Error };

/** Raw query values as fastify gives them (a repeated key becomes an array). */
export type RawQuery = Record<string, string | string[] | undefined>;

export interface QueryContext {
  now: Date;
  publicServiceCodes: readonly string[];
  jurisdictionId: string;
}

/** Reads the parameters, or names the first problem as a 400 (404 for another jurisdiction). */
export function parseRequestQuery(raw: RawQuery, ctx: QueryContext): QueryResult {
  const jurisdiction = single(raw['jurisdiction_id']);
  if (jurisdiction !== undefined && jurisdiction !== ctx.jurisdictionId) {
    return fail(404, `jurisdiction_id ${jurisdiction} is not served here`);
  }

  const ids = list(raw['service_request_id']);
  if (ids !== null) {
    if (ids.length === 0) return fail(400, 'service_request_id is empty');
    if (ids.length > MAX_IDS) return fail(400, `service_request_id lists more than ${MAX_IDS} ids`);
    const bad = ids.find((id) => !REQUEST_ID.test(id));
    if (bad !== undefined) return fail(400, `service_request_id ${bad} is not a request id`);
    return { ok: true, query: { kind: 'ids', ids: [...new Set(ids)] } };
  }

  const codes = list(raw['service_code']);
  if (codes !== null) {
    if (codes.length === 0) return fail(400, 'service_code is empty');
    const unknown = codes.find((c) => !ctx.publicServiceCodes.includes(c));
    if (unknown !== undefined) return fail(400, `service_code ${unknown} is not a service of this jurisdiction`);
  }

  const statuses = list(raw['status']);
  if (statuses !== null) {
    const bad = statuses.find((s) => s !== 'open' && s !== 'closed');
    if (bad !== undefined || statuses.length === 0) return fail(400, `status must be open, closed or both (comma-delimited), not "${bad ?? ''}"`);
  }

  const start = date(raw['start_date'], 'start_date');
  if (start instanceof Error) return fail(400, start.message);
  const end = date(raw['end_date'], 'end_date');
  if (end instanceof Error) return fail(400, end.message);
  const to = end ?? (start ? new Date(start.getTime() + MAX_RANGE_DAYS * DAY_MS) : ctx.now);
  const from = start ?? new Date(to.getTime() - MAX_RANGE_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) return fail(400, 'start_date is after end_date');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) return fail(400, `start_date and end_date may not span more than ${MAX_RANGE_DAYS} days`);

  return {
    ok: true,
    query: {
      kind: 'search',
      serviceCodes: codes ? [...new Set(codes)] : null,
      from,
      to,
      statuses: statuses ? [...new Set(statuses as PublicStatus[])] : null,
    },
  };
}

function fail(code: number, description: string): QueryResult {
  return { ok: false, error: { code, description } };
}

/** One value; a repeated key takes its last value. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** A comma-delimited list (or repeated keys); null when absent. */
function list(value: string | string[] | undefined): string[] | null {
  if (value === undefined) return null;
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function date(value: string | string[] | undefined, name: string): Date | null | Error {
  const text = single(value);
  if (text === undefined || text === '') return null;
  if (!W3C_DATETIME.test(text)) return new Error(`${name} must be a W3C datetime with a time zone, e.g. 2026-03-01T00:00:00+08:00`);
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? new Error(`${name} is not a valid datetime`) : parsed;
}
