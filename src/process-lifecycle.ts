/**
 * Start-up and shutdown shared by the process entry points: validate the configuration (one
 * line and exit 1 when it is wrong), start, and on SIGTERM/SIGINT stop gracefully — stop
 * taking input, let in-flight work finish, close connections — with a deadline.
 */
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger, type Logger } from './log/logger.js';

interface Startable {
  start(): Promise<string | null>;
  stop(): Promise<void>;
}

const SHUTDOWN_DEADLINE_MS = 30_000;

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
  const startedAt = performance.now();

  let app: Startable;
  try {
    app = await create(config, logger);
    const address = await app.start();
    logger.info({ role, address, ms: Math.round(performance.now() - startedAt) }, 'linli ready');
    if (address) process.stdout.write(`Linli is ready: ${address}/chat\n`);
  } catch (error) {
    // One line for the operator; the log has the detail.
    logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'start-up failed');
    process.stderr.write(`Linli could not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
