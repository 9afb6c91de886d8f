/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL,
 * or the embedded one in DATA_DIR). The service also does this at start; this command is for
 * deploying the schema ahead of the service. Prints what it applied; on failure one line and
 * exit code 1.
 */
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { firstLine } from './first-line.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const applied = await database.migrate();
    if (applied.length === 0) {
      console.log('Database is up to date: no migrations to apply');
    } else {
      for (const name of applied) console.log(`Applied ${name}`);
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${firstLine(error)}`);
  process.exitCode = 1;
});
