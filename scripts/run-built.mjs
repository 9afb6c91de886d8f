// Runs one of the app's entry points (`node scripts/run-built.mjs main`: `npm start`, the worker)
// from dist/, compiling it first when src/ changed since the last build (see build.mjs). Where
// it cannot be compiled (TypeScript not installed), the sources run through tsx instead.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { distDir, ensureBuilt, projectRoot } from './build.mjs';

const entry = process.argv[2];
if (!entry || !/^[\w/-]+$/.test(entry)) {
  process.stderr.write('usage: node scripts/run-built.mjs <entry under src/, without extension>\n');
  process.exit(2);
}
// The entry point sees the arguments after its name, as if it had been started itself.
process.argv.splice(2, 1);

if (ensureBuilt()) {
  await import(pathToFileURL(join(distDir, `${entry}.js`)).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(projectRoot, 'src', `${entry}.ts`)).href);
}
