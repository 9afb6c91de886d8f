/**
 * schema.prisma and prisma/migrations must agree: editing the schema without
 * `npm run db:diff -- <name>` fails here.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigration } from '../../src/db/create-migration.js';
import { diffMigrations } from '../../src/db/migrate.js';
import { lockfileContent } from '../../src/db/migrations-folder.js';

describe('schema and migrations', () => {
  it('agree: the migrations build exactly what schema.prisma describes', async () => {
    const missing = await diffMigrations();
    expect(missing, 'schema.prisma changed without a migration: run `npm run db:diff -- <name>`').toBe('');
  });
});

describe('creating a migration (npm run db:diff)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linli-db-diff-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the whole schema as the first migration, with the lock file', async () => {
    const created = await createMigration('First try', {
      migrationsDir: dir,
      now: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
    });
    expect(created?.name).toBe('20250102030405_first_try');
    const script = await readFile(join(dir, '20250102030405_first_try', 'migration.sql'), 'utf8');
    expect(script).toContain('CREATE TABLE "Community"');
    expect(script).toContain('CREATE UNIQUE INDEX "InboundMessage_channel_externalId_key"');
    expect(await readFile(join(dir, 'migration_lock.toml'), 'utf8')).toBe(lockfileContent);
  });

  it('writes nothing when the schema has no changes', async () => {
    expect(await createMigration('again', { migrationsDir: dir })).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['20250102030405_first_try', 'migration_lock.toml']);
  });

  it('rejects a name without letters or digits', async () => {
    await expect(createMigration(' -- ', { migrationsDir: dir })).rejects.toThrow(/letter or digit/);
  });
});
