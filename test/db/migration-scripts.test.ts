/**
 * How migration scripts run: as one atomic call with PostgreSQL parsing the statements, and a
 * failure recorded as such (the stock adapters split scripts on `;` or drop the failure).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.js';
import { pgliteMigrationAdapter, postgresMigrationAdapter } from '../../src/db/migration-adapters.js';
import { lockfileContent } from '../../src/db/migrations-folder.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

async function writeMigrations(dir: string, scripts: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration_lock.toml'), lockfileContent);
  for (const [name, script] of Object.entries(scripts)) {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'migration.sql'), script);
  }
}

const semicolonScript = `-- A default holding a semicolon; and a function body full of them.
CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL DEFAULT 'a;b');
CREATE FUNCTION note_count() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM "Note");
END;
$$;
`;

const failingScript = `CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);
INSERT INTO "Missing" VALUES (1);
`;

describe.each(databaseTargets())('migration scripts on %s', (target) => {
  let db: TestDatabase;
  let dir: string;

  const factory = () => (db.pglite ? pgliteMigrationAdapter(db.pglite) : postgresMigrationAdapter(db.postgres!));
  const tableExists = async (table: string) => {
    const rows = await db.prisma.$queryRawUnsafe<{ found: boolean }[]>(
      'SELECT to_regclass($1) IS NOT NULL AS found',
      `"${db.postgres?.schema ?? 'public'}"."${table}"`,
    );
    return rows[0]!.found;
  };

  beforeAll(async () => {
    db = await createTestDatabase(target, { migrate: false });
    dir = await mkdtemp(join(tmpdir(), 'linli-migrations-'));
  });
  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs a script with semicolons inside literals and function bodies', async () => {
    await writeMigrations(dir, { '20250101000000_notes': semicolonScript });
    expect(await applyMigrations(factory(), { migrationsDir: dir })).toEqual(['20250101000000_notes']);
    await db.prisma.$executeRawUnsafe('INSERT INTO "Note" ("id") VALUES (1)');
    const rows = await db.prisma.$queryRawUnsafe<{ text: string; count: bigint }[]>(
      'SELECT "text", note_count() AS count FROM "Note"',
    );
    expect(rows).toEqual([{ text: 'a;b', count: 1n }]);
  });

  it('reports a failing script, rolls all of it back and records the migration as failed', async () => {
    await writeMigrations(dir, { '20250102000000_broken': failingScript });
    const failure = applyMigrations(factory(), { migrationsDir: dir });
    await expect(failure).rejects.toThrow(/20250102000000_broken/);
    await expect(failure).rejects.toThrow(/Missing/);
    expect(await tableExists('Half')).toBe(false);

    const rows = await db.prisma.$queryRawUnsafe<{ finished_at: Date | null; logs: string | null }[]>(
      `SELECT finished_at, logs FROM _prisma_migrations WHERE migration_name = '20250102000000_broken'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.finished_at).toBeNull();
    expect(rows[0]!.logs).toMatch(/Missing/);
  });

  it('refuses to go on while a failed migration is unresolved, as prisma migrate deploy does', async () => {
    await expect(applyMigrations(factory(), { migrationsDir: dir })).rejects.toThrow(/failed migrations/);
  });
});
