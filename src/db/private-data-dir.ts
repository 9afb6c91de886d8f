/**
 * DATA_DIR holds the residents' data: the embedded database, their photos, the signing secret.
 * Nobody but the account running Linli may read it — folders 0700, files 0600.
 *
 * Our own writes ask for those modes. PGlite does not: its first start unpacks a prepared
 * database with files 0666 and folders 0755, and a few files it rewrites later (pg_internal.init)
 * come out 0644 whatever the process umask. So the whole tree is tightened when the database is
 * opened, once PGlite is ready and when it is closed; in between, the 0700 folders keep anything
 * PGlite has just written out of other users' reach.
 */
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a private folder (and any missing parents, also private) if it is not there yet. */
export async function makePrivateFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
}

/**
 * Sets every folder under `dir` (itself included) to 0700 and every file to 0600. Symbolic links
 * are left alone (and not followed): what they point at is not ours to change. Resolves to how
 * many entries were more open than that, 0 when the tree was already private.
 */
export async function tightenTree(dir: string): Promise<number> {
  let loosened = 0;
  const visit = async (path: string): Promise<void> => {
    const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      // PGlite may remove a temporary file between the listing and here.
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!stat || stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? PRIVATE_FOLDER_MODE : PRIVATE_FILE_MODE;
    if ((stat.mode & 0o777) !== wanted) {
      if ((stat.mode & 0o077) !== 0) loosened++;
      await chmod(path, wanted).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    if (stat.isDirectory()) {
      const names = await readdir(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      // Siblings at once: a database folder holds a thousand files, and one at a time their
      // stat calls add up to a tenth of a second at every open and close.
      await Promise.all(names.map((name) => visit(join(path, name))));
    }
  };
  await visit(dir);
  return loosened;
}
