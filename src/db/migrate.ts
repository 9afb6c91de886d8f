/**
 * Applies and diffs the migrations in `prisma/migrations` with the WebAssembly schema engine.
 * The engine keeps `_prisma_migrations` itself (name, checksum, start and finish times), the
 * same history `prisma migrate deploy` reads and writes. The engine is loaded only when it has
 * work to do: a start with every migration applied reads the history and goes on without it.
 */
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readFile } from 'node:fs/promises';
import { readMigrationsFolder } from './migrations-folder.js';
import { diffBaseAdapter } from './migration-adapters.js';
import { defaultMigrationsDir, defaultSchemaPath } from './paths.js';
import { everyMigrationRecorded, type ReadRows } from './recorded-migrations.js';

let engineSessions = 0;

/** How many times this process has turned to the schema engine (what the tests of the fast path watch). */
export function schemaEngineSessions(): number {
  return engineSessions;
}

export interface MigrationPaths {
  /** Defaults to the project's `prisma/migrations`. */
  migrationsDir?: string;
  /** Defaults to the project's `prisma/schema.prisma`. */
  schemaPath?: string;
}

/**
 * Applies every migration not yet recorded in the database, in folder-name order, and returns
 * the names applied (none on a second run). Use a factory from `migration-adapters.ts`: the
 * stock adapters mishandle migration scripts. A failed migration stays recorded as failed and
 * blocks later runs until resolved, as with `prisma migrate deploy`. With `readRows` (a read on
 * the same database), the history is looked at first and the engine is not even loaded when it
 * already records every folder as applied.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  paths: MigrationPaths = {},
  readRows?: ReadRows,
): Promise<string[]> {
  const migrationsList = await readMigrationsFolder(paths.migrationsDir ?? defaultMigrationsDir);
  if (readRows && (await everyMigrationRecorded(migrationsList, readRows))) return [];
  engineSessions++;
  const { noExternalEntities, openSchemaEngine } = await import('./schema-engine.js');
  const session = await openSchemaEngine({ adapterFactory, schemaPath: paths.schemaPath ?? defaultSchemaPath });
  try {
    const result = await session.engine.applyMigrations({ migrationsList, filters: noExternalEntities });
    return result.appliedMigrationNames;
  } finally {
    await session.close();
  }
}

/**
 * The SQL that takes a database built by the migrations to what `schema.prisma` describes;
 * an empty string when they agree. The migrations are replayed into a throwaway in-memory
 * PGlite, so no server is needed.
 */
export async function diffMigrations(paths: MigrationPaths = {}): Promise<string> {
  const schemaPath = paths.schemaPath ?? defaultSchemaPath;
  const schemaText = await readFile(schemaPath, 'utf8');
  const migrationsList = await readMigrationsFolder(paths.migrationsDir ?? defaultMigrationsDir);
  engineSessions++;
  const { noExternalEntities, openSchemaEngine } = await import('./schema-engine.js');
  const session = await openSchemaEngine({ adapterFactory: diffBaseAdapter(), schemaPath, schemaText });
  try {
    const result = await session.engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
      script: true,
      // Exit code 2 means "there is a difference"; 0 comes with a placeholder comment as script.
      exitCode: true,
      filters: noExternalEntities,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await session.close();
  }
}
