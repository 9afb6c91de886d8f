#!/usr/bin/env node
// `linli`, the admin command line (`npx linli --help`). It runs the compiled code in dist/,
// compiled first when src/ changed since (scripts/build.mjs); where TypeScript is not installed
// to compile it, the sources run through tsx.
import { ensureBuilt } from '../scripts/build.mjs';

if (ensureBuilt()) {
  await import('../dist/cli/linli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/linli.ts');
}
