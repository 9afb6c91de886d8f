/**
 * GeoReport v2 service requests: the list (`requests.json|xml`), one request
 * (`requests/{id}.json|xml`, the same shape with one element), the answer to a POST, and errors.
 * Every field of the spec's list is written, in the spec's order, empty when unknown, so a client
 * never has to guess whether a field exists. Datetimes carry the community's offset.
 */
import { formatOpen311Datetime } from './datetime.js';
import type { TicketForPublic } from './public-ticket.js';
import { textElement, xmlDocument } from './xml.js';

/** The GeoReport v2 request fields, in the spec's order. */
export const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
] as const;

export type RequestField = (typeof REQUEST_FIELDS)[number];
export type RequestRecord = Record<RequestField, string | number | null>;

export const OPEN311_CONTENT_TYPES = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' } as const;

/** One request as the spec's flat record. `address_id` and `zipcode` are not used by a community. */
export function requestRecord(ticket: TicketForPublic, timezone: string): RequestRecord {
  return {
    service_request_id: ticket.serviceRequestId,
    status: ticket.status,
    status_notes: ticket.statusNotes,
    service_name: ticket.serviceName,
    service_code: ticket.serviceCode,
    description: ticket.description,
    agency_responsible: ticket.agencyResponsible,
    service_notice: ticket.serviceNotice,
    requested_datetime: formatOpen311Datetime(ticket.requestedAt, timezone),
    updated_datetime: formatOpen311Datetime(ticket.updatedAt, timezone),
    expected_datetime: ticket.expectedAt ? formatOpen311Datetime(ticket.expectedAt, timezone) : null,
    address: ticket.address,
    address_id: null,
    zipcode: null,
    lat: ticket.lat,
    long: ticket.long,
    media_url: ticket.mediaUrl,
  };
}

/** `requests.json` (and `requests/{id}.json` with one ticket): an array. */
export function requestsJson(tickets: readonly TicketForPublic[], timezone: string): RequestRecord[] {
  return tickets.map((t) => requestRecord(t, timezone));
}

/** `requests.xml` (and `requests/{id}.xml`): `<service_requests><request>…`. */
export function requestsXml(tickets: readonly TicketForPublic[], timezone: string): string {
  return xmlDocument({
    name: 'service_requests',
    children: tickets.map((t) => {
      const record = requestRecord(t, timezone);
      return { name: 'request', children: REQUEST_FIELDS.map((f) => textElement(f, record[f])) };
    }),
  });
}

/** The answer to a POST: the new ticket's number (our services are `realtime`). */
export interface CreatedRequest {
  serviceRequestId: string;
  serviceNotice: string | null;
  accountId: string | null;
}

export function createdRequestJson(created: CreatedRequest): Array<Record<string, string | null>> {
  return [{ service_request_id: created.serviceRequestId, service_notice: created.serviceNotice, account_id: created.accountId }];
}

export function createdRequestXml(created: CreatedRequest): string {
  const [record] = createdRequestJson(created);
  return xmlDocument({ name: 'service_requests', children: [{ name: 'request', children: Object.entries(record!).map(([k, v]) => textElement(k, v)) }] });
}

/** A GeoReport error: an HTTP-like code and a description. */
export interface Open311Error {
  code: number;
  description: string;
}

export function errorsJson(errors: readonly Open311Error[]): Array<{ code: number; description: string }> {
  return errors.map((e) => ({ code: e.code, description: e.description }));
}

export function errorsXml(errors: readonly Open311Error[]): string {
  return xmlDocument({
    name: 'errors',
    children: errors.map((e) => ({ name: 'error', children: [textElement('code', e.code), textElement('description', e.description)] })),
  });
}
