/**
 * `linli`, the admin command line (package.json `bin`, run as `npx linli …` in the project
 * folder; `bin/linli.js` loads this file through tsx). See `linli-run.ts` for what it does.
 */
import { runLinli } from './linli-run.js';

// `linli staff list | head`: the reader has gone, so stop writing quietly instead of crashing.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runLinli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
