/**
 * What every `linli` command runs with: the operator's language, the output streams and — only
 * for commands that need it — the community's database, opened the way the app opens it
 * (configuration from the environment, migrations applied, the community ensured). The database
 * is opened on first use and closed once at the end, so `linli roster template` works even
 * while the app holds the embedded database.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import type { PrismaClient } from '../db/prisma-types.js';
import { ensureCommunity } from '../features/community/bootstrap.js';
import type { Translator, Vars } from '../i18n/translator.js';
import { firstLine } from './first-line.js';
import { CliError } from './linli-error.js';

/** The project folder: where `npm start` runs the app, so where a relative DATA_DIR lies. */
export const LINLI_PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where the project's locales are, for the entry point. */
export const LINLI_LOCALES_DIR = fileURLToPath(new URL('../../locales', import.meta.url));

/** A stream the command line writes to; `isTTY` decides between a progress bar and lines. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The community a command works on. */
export interface CommunityHandle {
  prisma: PrismaClient;
  communityId: string;
  timezone: string;
  defaultLocale: string;
}

export interface CliRuntimeOptions {
  config: Config;
  translator: Translator;
  locale: string;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Tests: a database opened by the caller (who closes it) instead of the configured one. */
  database?: Database;
  /** Tests: a fixed time for what depends on it (what is overdue); the system clock otherwise. */
  clock?: () => Date;
}

export class CliRuntime {
  readonly config: Config;
  readonly translator: Translator;
  /** The operator's language: every line the command line prints is in it. */
  readonly locale: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  private readonly givenDatabase: Database | undefined;
  private readonly clock: () => Date;
  private opened: Promise<{ database: Database; handle: CommunityHandle }> | undefined;

  constructor(options: CliRuntimeOptions) {
    this.config = options.config;
    this.translator = options.translator;
    this.locale = options.locale;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.givenDatabase = options.database;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The time the command acts at. */
  now(): Date {
    return this.clock();
  }

  /** A text in the operator's language. */
  t(key: string, vars?: Vars): string {
    return this.translator.t(this.locale, key, vars);
  }

  /** One line of results on stdout. */
  print(line: string): void {
    this.stdout.write(`${line}\n`);
  }

  /** Opens the database (once), applies migrations and ensures the community. */
  community(): Promise<CommunityHandle> {
    this.opened ??= this.open();
    return this.opened.then((opened) => opened.handle);
  }

  /** Closes the database if this runtime opened it; safe to call when nothing was opened. */
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (!opened || this.givenDatabase) return;
    const result = await opened.catch(() => undefined);
    await result?.database.close();
  }

  private async open(): Promise<{ database: Database; handle: CommunityHandle }> {
    const { config } = this;
    let database: Database;
    try {
      // Loaded here: help, the template and input errors never need Prisma or PGlite.
      const { openDatabase } = await import('../db/database.js');
      database =
        this.givenDatabase ??
        (await openDatabase({ ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}), dataDir: config.DATA_DIR }));
    } catch (error) {
      if (error instanceof DataDirInUseError) {
        throw new CliError('cli.error.database_in_use', { dir: join(config.DATA_DIR, 'pglite'), pid: error.ownerPid });
      }
      throw new CliError('cli.error.database_unavailable', { reason: firstLine(error) });
    }
    try {
      await database.migrate();
      const community = await ensureCommunity(database.prisma, {
        slug: config.COMMUNITY_SLUG,
        name: config.COMMUNITY_NAME ?? this.translator.t(config.DEFAULT_LOCALE, 'community.default_name'),
        timezone: config.COMMUNITY_TIMEZONE,
        defaultLocale: config.DEFAULT_LOCALE,
        officePhone: config.COMMUNITY_OFFICE_PHONE,
      });
      return {
        database,
        handle: {
          prisma: database.prisma,
          communityId: community.id,
          timezone: config.COMMUNITY_TIMEZONE,
          defaultLocale: community.defaultLocale,
        },
      };
    } catch (error) {
      if (!this.givenDatabase) await database.close().catch(() => {});
      throw new CliError('cli.error.database_unavailable', { reason: firstLine(error) });
    }
  }
}
