/** The embedded database on disk: survives a restart, and one process at a time. */
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../../src/db/data-dir-lock.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { storePhoto } from '../../src/channels/media/photo-files.js';
import { resolveSecret } from '../../src/security/secret.js';
import { seedCommunity } from '../support/community.js';

/** Every folder and file under `dir` that is not owner-only (0700 / 0600), with its mode. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string) => {
    const stat = await lstat(path);
    const mode = stat.mode & 0o777;
    if (stat.isDirectory()) {
      if (mode !== 0o700) found.push(`${path} ${mode.toString(8)}`);
      for (const name of await readdir(path)) await visit(join(path, name));
    } else if (stat.isFile() && mode !== 0o600) found.push(`${path} ${mode.toString(8)}`);
  };
  await visit(dir);
  return found;
}

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
    await seedCommunity(first.prisma, { slug: 'kept', name: '阳光花园' });
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

  describe('file modes', () => {
    let privateDir: string;
    beforeAll(async () => {
      privateDir = await mkdtemp(join(tmpdir(), 'linli-private-'));
    });
    afterAll(async () => {
      if (privateDir) await rm(privateDir, { recursive: true, force: true });
    });

    it('creates the data directory, the database, the lock, the secret and photos for the owner only', async () => {
      const dir = join(privateDir, 'fresh');
      const reports: number[] = [];
      const db = await openDatabase({ dataDir: dir, reportTightened: (entries) => reports.push(entries) });
      opened.push(db);
      await db.migrate();
      resolveSecret(undefined, dir);
      await storePhoto(dir, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg');
      // While open: the folders shut others out (PGlite may rewrite a file of its own meanwhile).
      expect((await lstat(dir)).mode & 0o777).toBe(0o700);
      expect((await lstat(join(dir, 'pglite'))).mode & 0o777).toBe(0o700);
      expect((await lstat(join(dir, 'pglite.lock'))).mode & 0o777).toBe(0o600);
      await db.close();
      expect(await openToOthers(dir)).toEqual([]);
      // A fresh directory was never open to anyone: nothing to report.
      expect(reports).toEqual([]);
    });

    it('tightens an existing directory others could read at the next start, and says so once', async () => {
      const dir = join(privateDir, 'old');
      const first = await openDatabase({ dataDir: dir });
      await first.migrate();
      await first.close();
      // As an older version left it: world-readable and writable.
      await mkdir(join(dir, 'uploads'), { recursive: true });
      await writeFile(join(dir, 'uploads', `${'a'.repeat(32)}.jpg`), 'photo');
      await writeFile(join(dir, 'secret.key'), `${'s'.repeat(64)}\n`);
      for (const path of [dir, join(dir, 'pglite'), join(dir, 'pglite', 'base'), join(dir, 'uploads')]) await chmod(path, 0o755);
      for (const path of [join(dir, 'pglite', 'PG_VERSION'), join(dir, 'uploads', `${'a'.repeat(32)}.jpg`), join(dir, 'secret.key')]) await chmod(path, 0o666);

      const reports: number[] = [];
      const db = await openDatabase({ dataDir: dir, reportTightened: (entries) => reports.push(entries) });
      opened.push(db);
      expect(reports).toEqual([7]);
      await db.ping();
      await db.close();
      expect(await openToOthers(dir)).toEqual([]);

      const again = await openDatabase({ dataDir: dir, reportTightened: (entries) => reports.push(entries) });
      opened.push(again);
      await again.close();
      expect(reports).toEqual([7]);
    });
  });
});
