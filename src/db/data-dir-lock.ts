/**
 * PGlite has no guard against two processes opening one data directory, and two writers
 * corrupt it (e.g. `npm run db:migrate` while the service runs). A lock file holding the
 * owner's process id refuses the second opener; a lock left by a dead process is taken over.
 */
import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';

export class DataDirInUseError extends Error {
  constructor(readonly lockFile: string, readonly ownerPid: number) {
    super(`The embedded database is in use by process ${ownerPid} (lock file ${lockFile}); stop that process first`);
    this.name = 'DataDirInUseError';
  }
}

/** Lock files this process holds: its own pid in a file is only stale if not listed here. */
const heldHere = new Set<string>();

/** Takes the lock or throws `DataDirInUseError`; resolves to the function that releases it. */
export async function lockDataDir(lockFile: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return holdLock(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && isAlive(owner) && (owner !== process.pid || heldHere.has(lockFile))) {
      throw new DataDirInUseError(lockFile, owner);
    }
    await unlink(lockFile).catch(() => {});
  }
  throw new Error(`Could not take the lock file ${lockFile}`);
}

function holdLock(lockFile: string): () => Promise<void> {
  heldHere.add(lockFile);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    heldHere.delete(lockFile);
    await unlink(lockFile).catch(() => {});
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isSurelyNotNode(pid);
}

/**
 * After a crash and a restart (a container's, say) the old owner's id may belong to some other
 * program. Where /proc can tell, a process that is not Node does not hold our lock.
 */
function isSurelyNotNode(pid: number): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return !/node|tsx/.test(commandLine);
  } catch {
    return false;
  }
}
