/**
 * Writes a new migration folder from the difference between the existing migrations and
 * `schema.prisma` (what `prisma migrate dev --create-only` does, without a database server).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffMigrations, type MigrationPaths } from './migrate.js';
import { ensureMigrationsFolder, migrationFileName, migrationSlug, migrationTimestamp } from './migrations-folder.js';
import { defaultMigrationsDir } from './paths.js';

export interface CreatedMigration {
  /** Folder name, e.g. `20250102030405_add_tickets`. */
  name: string;
  /** Path of the written `migration.sql`. */
  file: string;
}

export class InvalidMigrationNameError extends Error {
  constructor(name: string) {
    super(`Migration name "${name}" needs at least one letter or digit`);
    this.name = 'InvalidMigrationNameError';
  }
}

/** Returns the migration written, or null when the schema needs no change (nothing is written). */
export async function createMigration(
  name: string,
  paths: MigrationPaths & { now?: Date } = {},
): Promise<CreatedMigration | null> {
  const slug = migrationSlug(name);
  if (!slug) throw new InvalidMigrationNameError(name);
  const migrationsDir = paths.migrationsDir ?? defaultMigrationsDir;
  // The engine reads the provider from the lock file, so it must exist before the first diff.
  await ensureMigrationsFolder(migrationsDir);
  const sql = await diffMigrations({ ...paths, migrationsDir });
  if (!sql) return null;
  const folder = `${migrationTimestamp(paths.now ?? new Date())}_${slug}`;
  // Not recursive: an existing folder of the same name is an error, never overwritten.
  await mkdir(join(migrationsDir, folder));
  const file = join(migrationsDir, folder, migrationFileName);
  await writeFile(file, sql, { flag: 'wx' });
  return { name: folder, file };
}
