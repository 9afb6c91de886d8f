/**
 * A start with every migration applied must not wait for the schema engine, and nothing else may
 * change: a pending migration is still applied, an edited or failed one still goes to the engine.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { schemaEngineSessions } from '../../src/db/migrate.js';
import { defaultMigrationsDir } from '../../src/db/paths.js';
import { databaseTargets, dropSchema, testDatabaseUrl, type DatabaseTarget } from '../support/database.js';

const folders = readdirSync(defaultMigrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const last = folders[folders.length - 1]!;

/** A copy of the project's migrations without the last one, which `addLast` puts back. */
function migrationsCopy(): { dir: string; addLast(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'linli-migrations-'));
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  rmSync(join(dir, last), { recursive: true });
  return { dir, addLast: () => cpSync(join(defaultMigrationsDir, last), join(dir, last), { recursive: true }) };
}

async function open(target: DatabaseTarget, migrationsDir: string): Promise<{ db: Database; close(): Promise<void> }> {
  if (target === 'pglite') {
    const db = await openDatabase({ dataDir: tmpdir(), inMemory: true, migrations: { migrationsDir } });
    return { db, close: () => db.close() };
  }
  const url = testDatabaseUrl()!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ databaseUrl: url, dataDir: tmpdir(), schema, migrations: { migrationsDir } });
  return {
    db,
    close: async () => {
      await db.close();
      await dropSchema(url, schema);
    },
  };
}

/** What `migrate()` applied, and whether it had to start the schema engine to find out. */
async function migrateWatched(db: Database): Promise<{ applied: string[]; engine: boolean }> {
  const before = schemaEngineSessions();
  const applied = await db.migrate();
  return { applied, engine: schemaEngineSessions() > before };
}

describe.each(databaseTargets())('migrations already applied, on %s', (target) => {
  let copy: ReturnType<typeof migrationsCopy>;
  let opened: Awaited<ReturnType<typeof open>>;

  beforeAll(async () => {
    copy = migrationsCopy();
    opened = await open(target, copy.dir);
  });
  afterAll(async () => {
    await opened?.close();
    rmSync(copy.dir, { recursive: true, force: true });
  });

  it('a new database is migrated by the engine', async () => {
    expect(await migrateWatched(opened.db)).toEqual({ applied: folders.slice(0, -1), engine: true });
  });

  it('the next start applies nothing without starting the engine', async () => {
    expect(await migrateWatched(opened.db)).toEqual({ applied: [], engine: false });
  });

  it('a migration added since is applied, and the start after it needs no engine again', async () => {
    copy.addLast();
    expect(await migrateWatched(opened.db)).toEqual({ applied: [last], engine: true });
    expect(await migrateWatched(opened.db)).toEqual({ applied: [], engine: false });
  });

  it('a script checked out with Windows line endings counts as the one applied', async () => {
    const file = join(copy.dir, folders[0]!, 'migration.sql');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace(/\n/g, '\r\n'));
      expect(await migrateWatched(opened.db)).toEqual({ applied: [], engine: false });
    } finally {
      writeFileSync(file, original);
    }
  });

  it('an edited migration is left to the engine, which answers as it always has', async () => {
    const file = join(copy.dir, folders[0]!, 'migration.sql');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, `${original}\n-- edited after it was applied\n`);
      expect(await migrateWatched(opened.db)).toEqual({ applied: [], engine: true });
    } finally {
      writeFileSync(file, original);
    }
  });

  describe('a migration that fails', () => {
    const broken = '99990101000000_broken';
    afterEach(() => rmSync(join(copy.dir, broken), { recursive: true, force: true }));

    it('is reported by the engine on every start until resolved, not skipped', async () => {
      mkdirSync(join(copy.dir, broken));
      writeFileSync(join(copy.dir, broken, 'migration.sql'), 'SELECT 1 / 0;\n');
      const first = await opened.db.migrate().then(() => null, (error: unknown) => String(error));
      expect(first).toMatch(/division by zero/);
      const before = schemaEngineSessions();
      const second = await opened.db.migrate().then(() => null, (error: unknown) => String(error));
      expect(second).toContain(broken);
      expect(schemaEngineSessions()).toBeGreaterThan(before);
    });
  });
});
