/**
 * Start-up and shutdown shared by the process entry points: validate the configuration (one
 * line and exit 1 when it is wrong), start, and on SIGTERM/SIGINT stop gracefully — stop
 * taking input, let in-flight work finish, close connections — with a deadline. A signal during
 * start-up, or a failed start, still closes what was opened (the embedded database's lock).
 */
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger, type Logger } from './log/logger.js';

interface Startable {
  start(): Promise<string | null>;
  stop(): Promise<void>;
  /** Lines for the operator under the ready line (a worker has none). */
  readyLines?(address: string): Promise<string[]>;
}

const SHUTDOWN_DEADLINE_MS = 30_000;

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

export async function runProcess(role: string, create: (config: Config, logger: Logger) => Promise<Startable>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // Everything this process writes is private data (database, photos, secret): owner-only.
  process.umask(0o077);
  const startedAt = performance.now();

  let app: Startable | undefined;
  let signalled = false;
  let stopping: Promise<void> | undefined;
  const stop = (exitCode: number) => {
    stopping ??= (async () => {
      const deadline = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      try {
        await app?.stop();
        logger.info('stopped');
      } catch (error) {
        logger.error({ err: { message: firstLine(error) } }, 'shutdown failed');
        exitCode = 1;
      }
      process.exit(exitCode);
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      logger.info({ signal }, 'shutting down');
      signalled = true;
      // Before the app exists there is nothing to close yet: the start-up path below stops it.
      if (app) void stop(0);
    });
  }

  try {
    app = await create(config, logger);
    if (signalled) return void (await stop(0));
    const address = await app.start();
    if (signalled) return void (await stop(0));
    logger.info({ role, address, ms: Math.round(performance.now() - startedAt) }, 'linli ready');
    if (address) {
      process.stdout.write(`Linli is ready: ${address}/chat (residents) · ${address}/staff (the office)\n`);
      for (const line of (await app.readyLines?.(address)) ?? []) process.stdout.write(`${line}\n`);
    }
  } catch (error) {
    // One line for the operator; the log has the detail.
    logger.error({ err: { name: error instanceof Error ? error.name : 'unknown', message: firstLine(error) } }, 'start-up failed');
    process.stderr.write(`Linli could not start: ${firstLine(error)}\n`);
    if (app) await stop(1);
    process.exit(1);
  }
}
