/**
 * The web server: health check here; the web chat, webhooks and admin pages register their
 * own routes on it. Request logs carry method, route and status only (no bodies, no query).
 */
import { STATUS_CODES } from 'node:http';
import helmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import { errorFields } from '../log/error-fields.js';

/**
 * A body any route takes unless it says otherwise: a small JSON document. Routes that need more
 * (photo uploads) set their own limit; nothing is parsed beyond its route's limit.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Security headers on every answer (@fastify/helmet). The default Content-Security-Policy allows
 * nothing — right for JSON, event streams and images; each page states its own policy on its
 * route, which replaces this one: the web chat its `'self'` scripts and styles
 * (`web-chat-routes.ts`), the WeChat admin page its nonce-tagged style. Framing only by our own
 * pages (clickjacking); HSTS without subdomains, which may not all be served over https.
 */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'self'"] },
  },
  hsts: { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false },
  referrerPolicy: { policy: 'no-referrer' as const },
};

export interface HttpServerOptions {
  bodyLimitBytes?: number;
  /** TRUST_PROXY: false, a number of hops, or proxy addresses / CIDR ranges. */
  trustProxy?: false | number | string[];
}

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * `checks` decide health (a failing one answers 503). `statuses` are for information only — a
 * WeChat account waiting for its QR code to be scanned is not a reason for an orchestrator to
 * restart the process, which would only make a new code.
 */
export function createHttpServer(
  logger: Logger,
  checks: HealthCheck[],
  statuses: Record<string, () => unknown> = {},
  options: HttpServerOptions = {},
): FastifyInstance {
  const { bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES, trustProxy = false } = options;
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    // Whose word on the client's address and protocol counts (TRUST_PROXY): by default none,
    // so a client cannot name its own address in X-Forwarded-For to slip past per-address limits.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
  });

  void app.register(helmet, SECURITY_HEADERS);

  // Every route's last resort (the web chat and Open311 answer in their own words first): a
  // client's mistake keeps its 4xx, anything else is a 500; the answer is the status's plain
  // name only — an error's message may carry SQL, a file path or a line of source.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = plainStatusOf(error);
    if (status >= 500) logger.error({ err: errorFields(error), method: request.method, route: request.routeOptions.url ?? 'unmatched' }, 'http request failed');
    return reply.code(status).header('cache-control', 'no-store').send(plainError(status));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(plainError(404)));

  // Fastify closes the connection after refusing a body it did not read; closing on unread data
  // resets the connection, and a client still sending loses the answer (a browser shows a
  // network error instead of "that photo is too large"). With a declared length, Node reads the
  // rest and drops it (nothing is kept), so the connection can stay and the answer arrives.
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode === 413 && request.headers['content-length'] !== undefined) reply.removeHeader('connection');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    logger.debug({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http');
  });

  app.get('/healthz', async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 3_000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : 'failed'] as const;
        }
      }),
    );
    const healthy = results.every(([, status]) => status === 'ok');
    const channels = Object.fromEntries(Object.entries(statuses).map(([name, status]) => [name, status()]));
    return reply
      .code(healthy ? 200 : 503)
      .send({ status: healthy ? 'ok' : 'degraded', checks: Object.fromEntries(results), channels });
  });

  return app;
}

/** The status to answer an error with: its own when it is a client error, else 500. */
export function plainStatusOf(error: { statusCode?: number }): number {
  const status = error.statusCode;
  return status !== undefined && status >= 400 && status < 500 ? status : 500;
}

/** The body of a refusal: the status's standard name ("Payload Too Large"), nothing more. */
export function plainError(status: number): { error: string } {
  return { error: STATUS_CODES[status] ?? 'Error' };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
