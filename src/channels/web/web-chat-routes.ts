/**
 * HTTP routes of the web chat (fastify 5), all under /chat:
 *
 *   GET  /chat                      the page (issues the identity cookie when missing)
 *   GET  /chat/assets/:file         the page's CSS and script
 *   GET  /chat/api/history?after=   the session's rows (newest 200, or those after a seq)
 *   GET  /chat/api/events?after=    Server-Sent Events with each new row
 *   POST /chat/api/messages         { id, text } or { id, choice: { data, label } }
 *   POST /chat/api/start            greets a browser whose conversation is empty
 *   POST /chat/api/photos?id=       the image bytes as the body (JPEG, PNG or WebP)
 *   GET  /chat/api/photos/:file     a photo of this session
 *   GET  /chat/api/files/:file      a file sent to this session (a download, under its name)
 *
 * Every /chat/api route needs the (signed) cookie, checked before the body is read, and sees
 * only its own session. New sessions, messages, photos and open event streams are limited per
 * client address. Refusals answer `{ error, message }` with the reason in the browser's language
 * (the page itself: the reason as plain text).
 */
import { createReadStream } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pickLocale } from './accept-language.js';
import { renderChatPage } from './chat-page.js';
import { photoRefusalAnswer } from '../media/photo-refusal-answer.js';
import { DEFAULT_EVENT_STREAM_TIMING, streamSessionRows, type EventStreamTiming } from './event-stream.js';
import { mimeForUploadFile, refForUploadFile, uploadPath } from '../media/photo-files.js';
import { attachmentDisposition, documentPath, mimeForDocumentFile, refForDocumentFile } from '../media/document-files.js';
import { newSessionToken, SESSION_COOKIE_NAME, sessionCookieOptions, sessionIdFromToken, tokenFromCookie } from './session-cookie.js';
import { OpenStreams } from './open-streams.js';
import { parseSequenceNumber } from './sequence-number.js';
import { loadStaticAssets } from './static-assets.js';
import { isStorableText } from '../../util/storable-text.js';
import {
  MAX_INBOUND_TEXT_LENGTH,
  WEB_MAX_BUTTON_DATA_BYTES,
  photoRefusalOf,
  WebInputError,
  type PhotoErrorCode,
  type WebChannel,
  type WebInputErrorCode,
} from './web-channel.js';
import { errorFields } from '../../log/error-fields.js';

/** Per client address; see the WEB_CHAT_* settings. */
export interface WebChatLimits {
  sessionsPerMinute: number;
  messagesPerMinute: number;
  uploadsPerMinute: number;
  streamsPerAddress: number;
}

export interface WebChatRouteOptions {
  limits: WebChatLimits;
  /** Signs the identity cookie: a key derived from LINLI_SECRET (`deriveKey(…, 'web-chat-cookie')`). */
  cookieSecret: string;
  /** Event stream timing; tests shorten it. */
  eventStream?: EventStreamTiming;
}

/** Newest rows a page loads at first; older ones stay in the database. */
const HISTORY_LIMIT = 200;

/**
 * A message body: 2,000 characters as the page sends them (UTF-8, at most 4 bytes each) or a
 * button's data and label, with room for JSON's quoting. Anything larger is refused unread.
 */
const MESSAGE_BODY_LIMIT = 16 * 1024;

/** `POST /chat/api/start` carries an empty JSON object. */
const START_BODY_LIMIT = 1024;

/** Words for every refusal but a photo's, which are the ones every channel uses. */
const ERROR_KEYS: Record<Exclude<WebInputErrorCode, PhotoErrorCode>, string> = {
  empty: 'webchat.errors.empty',
  tooLong: 'webchat.errors.tooLong',
  invalid: 'webchat.errors.invalid',
  unreadable: 'webchat.errors.unreadable',
  session: 'webchat.errors.session',
  choiceExpired: 'webchat.errors.choiceExpired',
  tooMany: 'webchat.errors.tooMany',
  unavailable: 'webchat.errors.unavailable',
};

const clientId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const messageBody = z.union([
  z.object({ id: clientId, text: z.string() }).strict(),
  z
    .object({
      id: clientId,
      choice: z.object({ data: z.string().min(1).max(WEB_MAX_BUTTON_DATA_BYTES), label: z.string().max(1024).optional() }).strict(),
    })
    .strict(),
]);

/** Every string of a message body, to refuse text that cannot be stored (NUL, lone surrogates). */
function bodyStrings(body: z.infer<typeof messageBody>): string[] {
  return 'text' in body ? [body.text] : [body.choice.data, body.choice.label ?? ''];
}

/** A refused event stream is asked to wait this long (the page reconnects by itself). */
const STREAM_RETRY_SECONDS = 30;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Adds the web chat's routes to `app` (as an encapsulated plugin: its body parsers and error
 * handler do not touch other routes). They are live once the app is ready.
 */
export function registerWebChatRoutes(
  app: FastifyInstance,
  channel: WebChannel,
  options: WebChatRouteOptions,
): void {
  const { translator, defaultLocale, maxPhotoBytes, logger } = channel.options;
  const timing = options.eventStream ?? DEFAULT_EVENT_STREAM_TIMING;
  const { limits } = options;
  const assets = loadStaticAssets();

  const localeOf = (request: FastifyRequest) =>
    pickLocale(request.headers['accept-language'], translator, defaultLocale);
  /** The browser's language when we have it; the router uses it for a first-time person. */
  const languageHintOf = (request: FastifyRequest) =>
    pickLocale(request.headers['accept-language'], translator, '') || undefined;

  /** Each API request's session, read from its cookie as it arrives (see the onRequest hook). */
  const sessions = new WeakMap<FastifyRequest, string>();
  const sessionOf = (request: FastifyRequest): string => {
    const sessionId = sessions.get(request);
    if (!sessionId) throw new WebInputError('session', 401);
    return sessionId;
  };

  /** The language the person chose in the conversation, else the browser's. */
  const personLocaleOf = async (request: FastifyRequest): Promise<string> => {
    const sessionId = sessions.get(request);
    const chosen = sessionId ? await channel.options.chosenLocale?.(sessionId).catch(() => null) : null;
    return chosen ?? localeOf(request);
  };

  const refusalText = async (request: FastifyRequest, code: WebInputErrorCode, retryAfterSeconds: number): Promise<string> => {
    const photoRefusal = photoRefusalOf(code);
    if (photoRefusal) {
      // The same answer a refused photo gets on every channel, in the person's language.
      const answer = photoRefusalAnswer(photoRefusal, maxPhotoBytes);
      return translator.t(await personLocaleOf(request), answer.key, answer.vars);
    }
    return translator.t(localeOf(request), ERROR_KEYS[code as Exclude<WebInputErrorCode, PhotoErrorCode>], {
      max: MAX_INBOUND_TEXT_LENGTH,
      seconds: retryAfterSeconds,
    });
  };

  const refuse = async (request: FastifyRequest, reply: FastifyReply, code: WebInputErrorCode, status: number, retryAfterSeconds = 60) => {
    const message = await refusalText(request, code, retryAfterSeconds);
    if (code === 'tooMany') reply.header('retry-after', String(retryAfterSeconds));
    // The page itself is read by a person, not by the page's script: plain text.
    if (request.routeOptions.url === '/chat') {
      return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(message);
    }
    return reply.code(status).header('cache-control', 'no-store').send({ error: code, message });
  };

  const parseSeq = (value: unknown): bigint | undefined => {
    if (value === undefined) return undefined;
    const seq = parseSequenceNumber(value);
    if (seq === null) throw new WebInputError('invalid', 400);
    return seq;
  };

  void app.register(async (scope) => {
    await scope.register(fastifyCookie, { secret: options.cookieSecret, hook: 'onRequest' });
    const tokenOf = (request: FastifyRequest) => tokenFromCookie(request.cookies[SESSION_COOKIE_NAME], (value) => request.unsignCookie(value));

    // Counted per client address (request.ip: the connection's, or a trusted proxy's word), in
    // this process, as requests arrive — before a body is read. A flood is answered 429 with
    // Retry-After for that address alone.
    await scope.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new WebInputError('tooMany', 429, Math.max(1, Math.ceil(context.ttl / 1000))),
    });
    const perMinute = (max: number, extra: { allowList?: (request: FastifyRequest) => boolean } = {}) => ({
      config: { rateLimit: { max, timeWindow: 60_000, ...extra } },
    });
    const streams = new OpenStreams(limits.streamsPerAddress);

    for (const type of [/^image\//, 'application/octet-stream']) {
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: maxPhotoBytes }, (_request, body, done) =>
        done(null, body),
      );
    }

    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const isPhotoUpload = request.routeOptions.url === '/chat/api/photos';
      if (error instanceof WebInputError) return refuse(request, reply, error.code, error.status, error.retryAfterSeconds);
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const tooLarge = isPhotoUpload ? 'photoTooLarge' : request.routeOptions.url === '/chat/api/messages' ? 'tooLong' : 'invalid';
        return refuse(request, reply, tooLarge, 413);
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return refuse(request, reply, isPhotoUpload ? 'photoType' : 'invalid', 415);
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return refuse(request, reply, 'invalid', 400);
      }
      logger.error({ err: errorFields(error), channel: 'web' }, 'web chat request failed');
      return refuse(request, reply, 'unavailable', 500);
    });

    // The session is checked before anything else happens to an API request — before its body
    // is read — so a request without a valid cookie costs a header read and no more.
    scope.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/chat/api/')) return;
      const token = tokenOf(request);
      if (!token) throw new WebInputError('session', 401);
      sessions.set(request, sessionIdFromToken(token));
    });

    scope.addHook('preClose', async () => {
      // Open event streams would keep the server from closing.
      await channel.stop();
    });

    // Only a browser without a valid cookie opens a session; coming back to the page is free.
    const newSessions = perMinute(limits.sessionsPerMinute, { allowList: (request) => tokenOf(request) !== undefined });
    scope.get('/chat', newSessions, async (request, reply) => {
      const secure = request.protocol === 'https';
      const token = tokenOf(request);
      // No cookie, or one this server did not sign: a fresh session, never someone else's.
      if (!token) reply.setCookie(SESSION_COOKIE_NAME, newSessionToken(), sessionCookieOptions(secure));
      const chosen = token ? await channel.options.chosenLocale?.(sessionIdFromToken(token)) : null;
      const html = renderChatPage(translator, {
        locale: chosen ?? localeOf(request),
        communityName: await channel.communityName(),
        maxTextLength: MAX_INBOUND_TEXT_LENGTH,
        maxPhotoBytes,
      });
      return reply.headers(PAGE_HEADERS).header('vary', 'accept-language, cookie').send(html);
    });

    scope.get<{ Params: { file: string } }>('/chat/assets/:file', async (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) return reply.code(404).send();
      reply.header('etag', asset.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      return reply.type(asset.contentType).send(asset.body);
    });

    scope.get<{ Querystring: { after?: string } }>('/chat/api/history', async (request, reply) => {
      const sessionId = sessionOf(request);
      const after = parseSeq(request.query.after);
      const rows =
        after === undefined
          ? await channel.latestRows(sessionId, HISTORY_LIMIT)
          : await channel.rowsAfter(sessionId, after, HISTORY_LIMIT);
      return reply.header('cache-control', 'no-store').send({ rows });
    });

    scope.get<{ Querystring: { after?: string } }>('/chat/api/events', async (request, reply) => {
      const sessionId = sessionOf(request);
      const fromQuery = parseSeq(request.query.after) ?? 0n;
      // A browser reconnecting on its own sends the last id it saw.
      const fromHeader = parseSequenceNumber(request.headers['last-event-id']) ?? 0n;
      const release = streams.tryOpen(request.ip);
      if (!release) throw new WebInputError('tooMany', 429, STREAM_RETRY_SECONDS);
      reply.hijack();
      reply.raw.once('close', release);
      // Gone already (the close event has passed): give the place back now.
      if (reply.raw.destroyed || request.raw.destroyed) release();
      streamSessionRows(channel, sessionId, fromHeader > fromQuery ? fromHeader : fromQuery, reply.raw, timing, logger);
    });

    scope.post('/chat/api/messages', { bodyLimit: MESSAGE_BODY_LIMIT, ...perMinute(limits.messagesPerMinute) }, async (request, reply) => {
      const sessionId = sessionOf(request);
      const parsed = messageBody.safeParse(request.body);
      if (!parsed.success) throw new WebInputError('invalid', 400);
      const body = parsed.data;
      if (!bodyStrings(body).every(isStorableText)) throw new WebInputError('unreadable', 400);
      const accepted =
        'text' in body
          ? await channel.receiveText(sessionId, body.id, body.text, languageHintOf(request), request.ip)
          : await channel.receiveChoice(sessionId, body.id, body.choice.data, languageHintOf(request), request.ip);
      return reply.header('cache-control', 'no-store').send(accepted);
    });

    scope.post('/chat/api/start', { bodyLimit: START_BODY_LIMIT, ...perMinute(limits.messagesPerMinute) }, async (request, reply) => {
      const sessionId = sessionOf(request);
      const started = await channel.openConversation(sessionId, languageHintOf(request));
      return reply.header('cache-control', 'no-store').send({ started });
    });

    const photoRoute = { bodyLimit: maxPhotoBytes, ...perMinute(limits.uploadsPerMinute) };
    scope.post<{ Querystring: { id?: string } }>('/chat/api/photos', photoRoute, async (request, reply) => {
      const sessionId = sessionOf(request);
      const id = clientId.safeParse(request.query.id);
      if (!id.success) throw new WebInputError('invalid', 400);
      if (!Buffer.isBuffer(request.body)) throw WebInputError.forPhoto('not_an_image');
      const accepted = await channel.receivePhoto(sessionId, id.data, request.body, languageHintOf(request), request.ip);
      return reply.header('cache-control', 'no-store').send(accepted);
    });

    scope.get<{ Params: { file: string } }>('/chat/api/photos/:file', async (request, reply) => {
      const sessionId = sessionOf(request);
      const ref = refForUploadFile(request.params.file);
      if (!ref || !(await channel.sessionHasPhoto(sessionId, ref))) return reply.code(404).send();
      const file = request.params.file;
      return reply
        .type(mimeForUploadFile(file))
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(uploadPath(channel.options.dataDir, file)));
    });

    scope.get<{ Params: { file: string } }>('/chat/api/files/:file', async (request, reply) => {
      const sessionId = sessionOf(request);
      const ref = refForDocumentFile(request.params.file);
      const name = ref ? await channel.documentNameIn(sessionId, ref) : undefined;
      if (!ref || name === undefined) return reply.code(404).send();
      const file = request.params.file;
      const stream = createReadStream(documentPath(channel.options.dataDir, file));
      // A file gone from the disk is a plain 404 too, not a broken download.
      const opened = await new Promise<boolean>((resolve) => {
        stream.once('open', () => resolve(true));
        stream.once('error', () => resolve(false));
      });
      if (!opened) return reply.code(404).send();
      return reply
        .type(mimeForDocumentFile(file))
        .header('content-disposition', attachmentDisposition(name))
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    });
  });
}
