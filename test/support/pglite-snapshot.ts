/**
 * Starting an in-memory PGlite runs initdb, about 2 s; loading a snapshot of an already migrated
 * instance takes about 0.7 s. Every test file runs in its own process, so the snapshot is kept
 * on disk in the temp folder, keyed by the PGlite version and the migrations' contents: any
 * change to either builds a new one. Concurrent builders each write a complete file and rename
 * it into place, so readers never see half a snapshot.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openDatabase } from '../../src/db/database.js';
import { createQueueBackend } from '../../src/queue/backend.js';
import { readMigrationsFolder } from '../../src/db/migrations-folder.js';
import { defaultMigrationsDir } from '../../src/db/paths.js';

const snapshotFormat = 'linli-pglite-snapshot-2';

let snapshot: Promise<Blob> | undefined;

/**
 * The data directory of an in-memory PGlite with every migration applied, as a plain tar: kept
 * gzip'd on disk (5 MB rather than 44), unpacked once per process, since PGlite would otherwise
 * gunzip it again for every database a test opens (about a quarter of the load's CPU).
 */
export function migratedPgliteSnapshot(): Promise<Blob> {
  snapshot ??= loadOrBuild().then(unpacked).catch((error: unknown) => {
    snapshot = undefined;
    throw error;
  });
  return snapshot;
}

async function unpacked(gzipped: Blob): Promise<Blob> {
  return new Blob([new Uint8Array(gunzipSync(new Uint8Array(await gzipped.arrayBuffer())))]);
}

async function loadOrBuild(): Promise<Blob> {
  const file = join(tmpdir(), 'linli-test-pglite', `${await snapshotKey()}.tar.gz`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const built = await build();
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, new Uint8Array(await built.arrayBuffer()));
  await rename(partial, file);
  return built;
}

async function build(): Promise<Blob> {
  const database = await openDatabase({ dataDir: tmpdir(), inMemory: true });
  try {
    await database.migrate();
    // The queues' own tables too (BullMQ's migrations): every app opened on the snapshot would
    // otherwise create them again at start, about a third of its start-up.
    const queues = await createQueueBackend({ database });
    await queues.close();
    return await database.pglite!.dumpDataDir('gzip');
  } finally {
    await database.close();
  }
}

async function snapshotKey(): Promise<string> {
  const hash = createHash('sha256')
    .update(snapshotFormat)
    .update(await packageVersion('@electric-sql/pglite'))
    .update(`\0${await packageVersion('bullmq')}`);
  const migrations = await readMigrationsFolder(defaultMigrationsDir);
  hash.update(migrations.lockfile.content ?? '');
  for (const directory of migrations.migrationDirectories) {
    const { content } = directory.migrationFile;
    hash.update(`\0${directory.path}\0${content.tag}\0${content.value}`);
  }
  return hash.digest('hex').slice(0, 32);
}

/** Packages need not export their package.json, so find it next to the entry point. */
async function packageVersion(packageName: string): Promise<string> {
  let dir = dirname(createRequire(import.meta.url).resolve(packageName));
  for (;;) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest) {
      const { name, version } = JSON.parse(manifest) as { name?: string; version?: string };
      if (name === packageName && version) return version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the version of ${packageName}`);
    dir = parent;
  }
}
