/**
 * The web server: health check here; the web chat, webhooks and admin pages register their
 * own routes on it. Request logs carry method, route and status only (no bodies, no query).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';

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
  bodyLimitBytes = 12 * 1024 * 1024,
): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    trustProxy: true,
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
