/**
 * A folder of files Linli keeps under DATA_DIR (photos people send in `uploads/`, documents it
 * sends in `files/`): each written under a random name of 128 bits (never guessed, never chosen by
 * the sender), owner-only like everything in DATA_DIR (see src/db/private-data-dir.ts), to a
 * temporary name first so a reader never sees half a file. A file is known by its reference,
 * `<folder>/<file>`; only names this folder could have written are accepted back.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredFilesFolder {
  /** Writes the bytes under a fresh name with this extension; returns the reference. */
  store(dataDir: string, bytes: Uint8Array, extension: string): Promise<string>;
  /** The file name inside the folder for a reference, if it is one of this folder's. */
  fileOf(ref: string): string | undefined;
  /** The reference for a file name (from a URL), if the folder could have written that name. */
  refFor(file: string): string | undefined;
  /** Absolute path of a checked file name. */
  pathOf(dataDir: string, file: string): string;
  /** Deletes a stored file; false when the reference is not this folder's or the file is gone. */
  remove(dataDir: string, ref: string): Promise<boolean>;
}

/** `extensions`: the only endings this folder writes (and so accepts back). */
export function storedFilesFolder(folder: string, extensions: readonly string[]): StoredFilesFolder {
  const prefix = `${folder}/`;
  const pattern = new RegExp(`^[a-f0-9]{32}\\.(${extensions.join('|')})$`);
  return {
    async store(dataDir, bytes, extension) {
      const dir = join(dataDir, folder);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = `${randomBytes(16).toString('hex')}.${extension}`;
      const temporary = join(dir, `.${file}.part`);
      await writeFile(temporary, bytes, { flag: 'wx', mode: 0o600 });
      await rename(temporary, join(dir, file));
      return `${prefix}${file}`;
    },
    fileOf(ref) {
      if (!ref.startsWith(prefix)) return undefined;
      const file = ref.slice(prefix.length);
      return pattern.test(file) ? file : undefined;
    },
    refFor(file) {
      return pattern.test(file) ? `${prefix}${file}` : undefined;
    },
    pathOf(dataDir, file) {
      return join(dataDir, folder, file);
    },
    async remove(dataDir, ref) {
      const file = this.fileOf(ref);
      if (!file) return false;
      try {
        await unlink(join(dataDir, folder, file));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
  };
}
