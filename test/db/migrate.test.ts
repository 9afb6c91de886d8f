import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, defaultSchemaPath } from '../../src/db/paths.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

async function migrationFolders(): Promise<string[]> {
  const entries = await readdir(defaultMigrationsDir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Every model in schema.prisma is a table of the same name (no @@map is used). */
const modelTables = [...readFileSync(defaultSchemaPath, 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);

describe.each(databaseTargets())('migrations on %s', (target) => {
  let db: TestDatabase;
  let firstRun: string[];
  let secondRun: string[];

  beforeAll(async () => {
    db = await createTestDatabase(target, { migrate: false });
    firstRun = await db.migrate();
    secondRun = await db.migrate();
  });
  afterAll(() => db?.close());

  it('applies every migration folder from empty, in name order', async () => {
    const folders = await migrationFolders();
    expect(folders.length).toBeGreaterThan(0);
    expect(firstRun).toEqual(folders);
  });

  it('applies nothing the second time', () => {
    expect(secondRun).toEqual([]);
  });

  it('records each migration as prisma migrate deploy does: finished, with the script checksum', async () => {
    const rows = await db.prisma.$queryRawUnsafe<MigrationRow[]>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(firstRun);
    for (const row of rows) {
      const script = await readFile(join(defaultMigrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(script).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
    }
  });

  it("puts every table in the database's schema", async () => {
    const schema = db.postgres?.schema ?? 'public';
    if (target === 'postgres') expect(schema).toMatch(/^t_[0-9a-f]+$/);
    const rows = await db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      schema,
    );
    expect(rows.map((row) => row.table_name)).toEqual(['_prisma_migrations', ...modelTables].sort());
  });

  it.runIf(target === 'pglite')("leaves no migration lock held in PGlite's one shared session", async () => {
    const locks = await db.pglite!.query(`SELECT objid FROM pg_locks WHERE locktype = 'advisory'`);
    expect(locks.rows).toEqual([]);
  });

  it('gives a Prisma Client that writes to that schema', async () => {
    const schema = db.postgres?.schema ?? 'public';
    await seedCommunity(db.prisma, { slug: `migrate-${target}` });
    const rows = await db.prisma.$queryRawUnsafe<{ slug: string }[]>(`SELECT slug FROM "${schema}"."Community"`);
    expect(rows).toEqual([{ slug: `migrate-${target}` }]);
    await expect(db.ping()).resolves.toBeUndefined();
  });
});
