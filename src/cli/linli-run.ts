/**
 * Runs one `linli` command line: reads the configuration, picks the operator's language, builds
 * the commands and runs the one asked for. Whatever goes wrong ends as one line on stderr in the
 * operator's language and a non-zero exit code (1: the work failed, 2: the command line is
 * wrong); the database is closed in every case.
 *
 * A relative DATA_DIR (the default `./data`) is taken from the project folder, where `npm start`
 * runs the app: `npx linli` typed in a subfolder must open the app's database, not a new one.
 */
import { resolve } from 'node:path';
import { CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { loadTranslator, PRIMARY_LOCALE, type Translator } from '../i18n/translator.js';
import { firstLine } from './first-line.js';
import { CliError, EXIT_FAILED, ReportedFailure } from './linli-error.js';
import { operatorLocale } from './linli-locale.js';
import { buildLinliProgram } from './linli-program.js';
import { CliRuntime, LINLI_LOCALES_DIR, LINLI_PROJECT_ROOT, type OutputStream } from './linli-runtime.js';

export interface LinliIo {
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Tests: run against this database (the caller closes it) instead of the configured one. */
  database?: Database;
  /** Tests: a fixed time (what is overdue) instead of the system clock. */
  clock?: () => Date;
}

/** Runs `linli <argv…>`; resolves to the exit code. */
export async function runLinli(argv: readonly string[], io: LinliIo): Promise<number> {
  const translator = loadTranslator(LINLI_LOCALES_DIR);
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const locale = operatorLocale(io.env, translator, PRIMARY_LOCALE);
    io.stderr.write(`${translator.t(locale, 'cli.error.config', { setting: error.setting, problem: error.problem })}\n`);
    return EXIT_FAILED;
  }
  const runtime = new CliRuntime({
    config: { ...config, DATA_DIR: resolve(LINLI_PROJECT_ROOT, config.DATA_DIR) },
    translator,
    locale: operatorLocale(io.env, translator, config.DEFAULT_LOCALE),
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.database ? { database: io.database } : {}),
    ...(io.clock ? { clock: io.clock } : {}),
  });
  try {
    await buildLinliProgram(runtime).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportFailure(error, runtime, translator);
  } finally {
    await runtime.close().catch(() => {});
  }
}

function reportFailure(error: unknown, runtime: CliRuntime, translator: Translator): number {
  // commander has already printed its help or our localised usage line.
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ReportedFailure) return error.exitCode;
  if (error instanceof CliError) {
    runtime.stderr.write(`${runtime.t(error.key, error.vars)}\n`);
    return error.exitCode;
  }
  runtime.stderr.write(`${translator.t(runtime.locale, 'cli.error.unexpected', { reason: firstLine(error) })}\n`);
  return EXIT_FAILED;
}
