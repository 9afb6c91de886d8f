/**
 * Applies and diffs the migrations in `prisma/migrations` with the WebAssembly schema engine.
 * The engine keeps `_prisma_migrations` itself (name, checksum, start and finish times), the
 * same history `prisma migrate deploy` reads and writes.
 */
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readFile } from 'node:fs/promises';
import { readMigrationsFolder } from './migrations-folder.js';
import { diffBaseAdapter } from './migration-adapters.js';
import { defaultMigrationsDir, defaultSchemaPath } from './paths.js';
import { noExternalEntities, openSchemaEngine } from './schema-engine.js';

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
 * blocks later runs until resolved, as with `prisma migrate deploy`.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  paths: MigrationPaths = {},
): Promise<string[]> {
  const migrationsList = await readMigrationsFolder(paths.migrationsDir ?? defaultMigrationsDir);
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
