/**
 * Open311 GeoReport v2 under `/open311/v2/` (fastify plugin; register with that prefix):
 *
 *   GET  services.json|xml               the publicly listed categories
 *   GET  services/{code}.json|xml        one service's definition (no extra attributes)
 *   GET  requests.json|xml               search: service_request_id, service_code, start_date,
 *                                        end_date, status (see request-query.ts)
 *   POST requests.json|xml               file a request with api_key (OPEN311_API_KEYS)
 *   GET  requests/{id}.json|xml          one request
 *
 * Errors use the spec's body (`[{ code, description }]`, or `<errors>`) with the same HTTP status.
 * Datetimes carry the community's offset; anonymous tickets show no words, photos or exact place
 * (public-requests.ts). Texts (service names) follow Accept-Language, else the community's language.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickLocale } from '../../channels/web/accept-language.js';
import type { PrismaClient } from '../../db/prisma-types.js';
import type { Translator } from '../../i18n/translator.js';
import { categoryName } from '../../features/tickets/rules/labels.js';
import type { TicketCategory } from '../../features/tickets/rules/categories.js';
import {
  createdRequestJson,
  createdRequestXml,
  errorsJson,
  errorsXml,
  OPEN311_CONTENT_TYPES,
  requestsJson,
  requestsXml,
  type CreatedRequest,
  type Open311Error,
} from '../../features/tickets/open311/requests.js';
import { serviceDefinitionJson, serviceDefinitionXml, servicesFromCategories, servicesJson, servicesXml } from '../../features/tickets/open311/services.js';
import { loadCommunityTicketContext, type CommunityTicketContext } from '../../features/tickets/scheduling/community-ticket-settings.js';
import { TICKET_LIMITS } from '../../features/tickets/service/file-ticket.js';
import { isStorableText } from '../../util/storable-text.js';
import { ApiKeys } from './api-keys.js';
import { loadPublicRequests } from './public-requests.js';
import { parseRequestQuery, type RawQuery } from './request-query.js';
import { errorFields } from '../../log/error-fields.js';

type Format = 'json' | 'xml';

/** What a POST asks for, checked (a location is a point or an address). */
export interface Open311RequestInput {
  serviceCode: string;
  description: string;
  lat: number | null;
  long: number | null;
  addressString: string | null;
}

/** Files a ticket from an Open311 POST (`open311-filing.ts`); `key` is the API key's place in the list. */
export type Open311Filing = (communityId: string, input: Open311RequestInput, key: number) => Promise<CreatedRequest>;

export interface Open311Options {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  /** `OPEN311_API_KEYS`; empty: POST answers 403. */
  apiKeys: readonly string[];
  /** OPEN311_POSTS_PER_MINUTE: POSTs one client address may make a minute (default 30). */
  postsPerMinute?: number;
  /** Absent (a process that serves no filing): POST answers 501. */
  file?: Open311Filing;
  now?: () => Date;
}

const FILE_WITH_FORMAT = /^(.+)\.(json|xml)$/;

/**
 * A POST's body: a 2,000-character description and a 200-character address, percent-encoded
 * as UTF-8 (9 characters for each Chinese one), fit with room to spare.
 */
export const OPEN311_BODY_LIMIT = 32 * 1024;

/** What a refused request is told, by status; never the error itself (it may name SQL or files). */
const PLAIN_ERRORS: Record<number, string> = {
  400: 'the request could not be read',
  404: 'not found',
  413: `the request body is larger than ${OPEN311_BODY_LIMIT / 1024} KB`,
  415: 'send the request as application/x-www-form-urlencoded or application/json',
  429: 'too many requests from this address; try again later',
};

/** Registers the routes; use `http.register(open311Routes, { prefix: '/open311/v2', … })`. */
export async function open311Routes(app: FastifyInstance, options: Open311Options): Promise<void> {
  const keys = new ApiKeys(options.apiKeys);
  const now = () => options.now?.() ?? new Date();

  // The spec posts forms; JSON bodies are accepted too. Scoped to this plugin.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: OPEN311_BODY_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  // POSTs are counted per client address as they arrive, before the key or the body is read.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => Object.assign(new Error('too many requests'), { statusCode: 429 }),
  });
  const postLimit = { rateLimit: { max: options.postsPerMinute ?? 30, timeWindow: 60_000 } };

  // Anything thrown (a parse error, a failed query) is answered in the spec's error format with a
  // plain description; the error itself only goes to the log.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const format: Format = request.url.split('?')[0]!.endsWith('.xml') ? 'xml' : 'json';
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: errorFields(error), route: request.routeOptions.url }, 'open311 request failed');
      return sendError(reply, format, { code: 500, description: 'the request could not be handled; try again later' });
    }
    return sendError(reply, format, { code: status, description: PLAIN_ERRORS[status] ?? PLAIN_ERRORS[400]! });
  });

  const context = () => loadCommunityTicketContext(options.prisma, options.communityId);
  const localeOf = (request: FastifyRequest, community: CommunityTicketContext) =>
    pickLocale(request.headers['accept-language'], options.translator, community.defaultLocale);
  const nameOf = (category: TicketCategory, locale: string) => {
    const named = categoryName(category, locale);
    return 'text' in named ? named.text : options.translator.t(locale, named.key);
  };

  for (const format of ['json', 'xml'] as const) {
    app.get(`/services.${format}`, async (request, reply) => {
      const community = await context();
      const locale = localeOf(request, community);
      const services = servicesFromCategories(
        community.settings.categories,
        (code) => {
          const name = nameOf(community.settings.categories.find((c) => c.code === code)!, locale);
          return { name, description: name, keywords: [] };
        },
        community.name,
      );
      return send(reply, format, 200, format === 'json' ? servicesJson(services) : servicesXml(services));
    });

    app.get(`/requests.${format}`, async (request, reply) => {
      const community = await context();
      const parsed = parseRequestQuery(request.query as RawQuery, {
        now: now(),
        publicServiceCodes: publicCodes(community),
        jurisdictionId: community.slug,
      });
      if (!parsed.ok) return sendError(reply, format, parsed.error);
      const locale = localeOf(request, community);
      const tickets = await loadPublicRequests(options.prisma, parsed.query, publicContext(community, locale));
      const tz = community.settings.timezone;
      return send(reply, format, 200, format === 'json' ? requestsJson(tickets, tz) : requestsXml(tickets, tz));
    });

    // The key is checked before the body is read whenever it can be: filing switched off, or a
    // key given in the address (`?api_key=`) that is wrong, is refused with the body unread. A
    // key in the body (the spec's form) is read within the small body limit.
    const keyBeforeBody = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!keys.enabled) return sendError(reply, format, { code: 403, description: 'filing requests is not enabled on this server' });
      const inAddress = queryKey(request);
      if (inAddress !== undefined && !keys.accepts(inAddress)) return sendError(reply, format, { code: 403, description: 'api_key is missing or not valid' });
      return undefined;
    };
    app.post(`/requests.${format}`, { bodyLimit: OPEN311_BODY_LIMIT, onRequest: keyBeforeBody, config: postLimit }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const key = keys.numberOf(body['api_key'] ?? queryKey(request));
      if (key === null) return sendError(reply, format, { code: 403, description: 'api_key is missing or not valid' });
      if (!options.file) return sendError(reply, format, { code: 501, description: 'filing requests through Open311 is not available on this server' });
      const community = await context();
      const input = readPost(body, publicCodes(community));
      if ('code' in input) return sendError(reply, format, input);
      const created = await options.file(options.communityId, input, key);
      return send(reply, format, 201, format === 'json' ? createdRequestJson(created) : createdRequestXml(created));
    });
  }

  app.get('/services/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const match = FILE_WITH_FORMAT.exec(file);
    if (!match) return sendError(reply, 'json', { code: 404, description: 'use services/{service_code}.json or .xml' });
    const [, code, format] = match as unknown as [string, string, Format];
    const community = await context();
    if (!publicCodes(community).includes(code)) return sendError(reply, format, { code: 404, description: `service_code ${code} not found` });
    const definition = { code, attributes: [] };
    return send(reply, format, 200, format === 'json' ? serviceDefinitionJson(definition) : serviceDefinitionXml(definition));
  });

  app.get('/requests/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const match = FILE_WITH_FORMAT.exec(file);
    if (!match) return sendError(reply, 'json', { code: 404, description: 'use requests/{service_request_id}.json or .xml' });
    const [, id, format] = match as unknown as [string, string, Format];
    const community = await context();
    const parsed = parseRequestQuery({ ...(request.query as RawQuery), service_request_id: id }, {
      now: now(),
      publicServiceCodes: publicCodes(community),
      jurisdictionId: community.slug,
    });
    if (!parsed.ok) return sendError(reply, format, parsed.error);
    const tickets = await loadPublicRequests(options.prisma, parsed.query, publicContext(community, localeOf(request, community)));
    // Unpublished and unknown look the same: the public cannot tell that a private ticket exists.
    if (tickets.length === 0) return sendError(reply, format, { code: 404, description: `service_request_id ${id} not found` });
    const tz = community.settings.timezone;
    return send(reply, format, 200, format === 'json' ? requestsJson(tickets, tz) : requestsXml(tickets, tz));
  });

  function publicContext(community: CommunityTicketContext, locale: string) {
    return {
      communityId: community.id,
      settings: community.settings,
      agencyResponsible: community.name,
      serviceName: (code: string) => {
        const category = community.settings.categories.find((c) => c.code === code);
        return category ? nameOf(category, locale) : code;
      },
    };
  }
}

function queryKey(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.['api_key'];
}

function publicCodes(community: CommunityTicketContext): string[] {
  return community.settings.categories.filter((c) => c.publicListing).map((c) => c.code);
}

function send(reply: FastifyReply, format: Format, status: number, body: unknown): FastifyReply {
  reply.code(status).header('content-type', OPEN311_CONTENT_TYPES[format]);
  return reply.send(format === 'json' ? JSON.stringify(body) : body);
}

function sendError(reply: FastifyReply, format: Format, error: Open311Error): FastifyReply {
  return send(reply, format, error.code, format === 'json' ? errorsJson([error]) : errorsXml([error]));
}

/** The POST fields the spec requires: a public service code and a location. */
function readPost(body: Record<string, unknown>, codes: readonly string[]): Open311RequestInput | Open311Error {
  const unreadable = Object.entries(body).find(([, value]) => typeof value === 'string' && !isStorableText(value));
  if (unreadable) return { code: 400, description: `${unreadable[0]} contains a character that cannot be stored (NUL or a lone surrogate)` };
  const text = (name: string) => (typeof body[name] === 'string' && (body[name] as string).trim() !== '' ? (body[name] as string).trim() : null);
  const serviceCode = text('service_code');
  if (!serviceCode) return { code: 400, description: 'service_code is required' };
  if (!codes.includes(serviceCode)) return { code: 400, description: `service_code ${serviceCode} is not a service of this jurisdiction` };
  const lat = text('lat') === null ? null : Number(text('lat'));
  const long = text('long') === null ? null : Number(text('long'));
  const addressString = text('address_string');
  const point = lat !== null && long !== null && Math.abs(lat) <= 90 && Math.abs(long) <= 180;
  if ((lat !== null || long !== null) && !point) return { code: 400, description: 'lat and long must both be given, as decimal degrees' };
  if (!point && addressString === null) return { code: 400, description: 'a location is required: lat and long, or address_string' };
  // The spec leaves description optional; a ticket here needs one (staff cannot act on a bare category).
  const description = text('description');
  if (description === null) return { code: 400, description: 'description is required by this jurisdiction' };
  if ([...description].length > TICKET_LIMITS.descriptionMax) return { code: 400, description: `description is longer than ${TICKET_LIMITS.descriptionMax} characters` };
  if (addressString !== null && [...addressString].length > TICKET_LIMITS.placeTextMax) {
    return { code: 400, description: `address_string is longer than ${TICKET_LIMITS.placeTextMax} characters` };
  }
  return { serviceCode, description, lat: point ? lat : null, long: point ? long : null, addressString };
}
