/**
 * The app as a benchmark's app process runs it: the whole of Linli, listening on a free local
 * port, silent, with the settings the parent chose (its database, Redis, limits) and, on Redis,
 * a queue prefix of the run's own.
 */
import { createApp, type App } from '../src/app.js';
import { loadConfig, type Config } from '../src/config/config.js';
import { createLogger } from '../src/log/logger.js';

export interface ServedAppStart {
  env: Record<string, string>;
  queuePrefix?: string;
}

export async function createServedApp(start: ServedAppStart): Promise<{ app: App; config: Config }> {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...start.env });
  const app = await createApp({
    config,
    logger: createLogger(config.LOG_LEVEL),
    serve: true,
    ...(start.queuePrefix ? { queuePrefix: start.queuePrefix } : {}),
  });
  return { app, config };
}
