/** The embedded database on disk: survives a restart, and one process at a time. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../../src/db/data-dir-lock.js';
import { openDatabase, type Database } from '../../src/db/database.js';

describe('embedded database on disk', () => {
  let dataDir: string;
  const opened: Database[] = [];
  const open = async () => {
    const db = await openDatabase({ dataDir });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'linli-data-'));
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps migrations and data across a close and reopen', async () => {
    const first = await open();
    expect(first.kind).toBe('embedded');
    expect(await first.migrate()).not.toEqual([]);
    await first.prisma.community.create({ data: { slug: 'kept', name: '阳光花园' } });
    await first.close();

    const second = await open();
    expect(await second.migrate()).toEqual([]);
    const community = await second.prisma.community.findUnique({ where: { slug: 'kept' } });
    expect(community?.name).toBe('阳光花园');
    await second.close();
  });

  it('refuses a second opener while the data directory is in use, and frees it on close', async () => {
    const holder = await open();
    await expect(open()).rejects.toBeInstanceOf(DataDirInUseError);
    await holder.close();
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    const next = await open();
    await next.ping();
    await next.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    // Above Linux's largest pid_max, so no live process has it.
    await writeFile(join(dataDir, 'pglite.lock'), '4194305\n');
    const db = await open();
    await expect(db.ping()).resolves.toBeUndefined();
    await db.close();
  });
});
