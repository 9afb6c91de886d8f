/**
 * Whether the database already records every migration folder as applied, read straight from
 * `_prisma_migrations`. Starting the WebAssembly schema engine costs hundreds of milliseconds and
 * tens of megabytes on every start, yet on all but the first start after an upgrade it has
 * nothing to do: this check lets `migrate()` skip it then. It only ever says "nothing to do" when
 * the engine would certainly apply nothing and report nothing; in every other case (no history
 * table, a pending, failed or unknown migration, a script that differs from what was applied,
 * another provider, any error reading) the engine runs as before, so its behaviour and messages
 * are unchanged.
 */
import { createHash } from 'node:crypto';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';

/** One row of `_prisma_migrations`, as much of it as the check needs. */
export interface RecordedMigration {
  migration_name: string;
  checksum: string;
  finished: boolean;
  rolled_back: boolean;
}

/** Runs one read-only statement on the database the migrations are for (its search path). */
export type ReadRows = (sql: string) => Promise<readonly RecordedMigration[]>;

export const recordedMigrationsSql =
  'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations';

/** True only when every folder is recorded as applied with the same script, and nothing else is. */
export async function everyMigrationRecorded(migrations: MigrationList, readRows: ReadRows): Promise<boolean> {
  if (!declaresPostgres(migrations.lockfile.content)) return false;
  let rows: readonly RecordedMigration[];
  try {
    rows = await readRows(recordedMigrationsSql);
  } catch {
    // No history table yet (a new database), or anything else: the engine knows what to do.
    return false;
  }
  const live = rows.filter((row) => !row.rolled_back);
  // Started but never finished: a failed migration, which the engine reports and refuses.
  if (live.some((row) => !row.finished)) return false;
  const folders = new Set(migrations.migrationDirectories.map((directory) => directory.path));
  // A migration the folder does not have: left to the engine's judgement.
  if (live.some((row) => !folders.has(row.migration_name))) return false;
  return migrations.migrationDirectories.every((directory) => {
    const { content } = directory.migrationFile;
    if (content.tag !== 'ok') return false;
    return live.some((row) => row.migration_name === directory.path && scriptMatches(content.value, row.checksum));
  });
}

/** The engine's own rule: a script matches its checksum with LF or CRLF line endings (git may change them). */
function scriptMatches(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => sha256Hex(variant) === checksum);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The engine refuses a history written for another provider; a missing or odd lock file goes to it too. */
function declaresPostgres(lockfile: string | null): boolean {
  return lockfile !== null && /^\s*provider\s*=\s*"postgresql"\s*$/m.test(lockfile);
}
