// Compiles src/ to dist/ (`npm run build`; also run by `postinstall`, and by `npm start`, the
// worker and `linli` whenever src/ changed since): Node then runs plain JavaScript instead of
// compiling the TypeScript at every start, which took about a second of each start and each
// `linli` command. dist/ mirrors src/ one level below the project folder, so the paths the code
// finds from its own location (locales/, flows/, prisma/) are the same, and every file in src/
// that is not TypeScript (the web pages' assets) is copied beside the compiled code.
//
// This only transpiles (`--noCheck`), as running through tsx did: types are checked by
// `npm run typecheck` and `npm test`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(projectRoot, 'src');
export const distDir = join(projectRoot, 'dist');
/** Written last by a finished build; its time is when that build began. */
const stampFile = join(distDir, '.built');
/** Besides src/, what changes the compiled output. */
const buildInputs = ['tsconfig.json', 'tsconfig.build.json'].map((name) => join(projectRoot, name));

/** True when dist/ holds a finished build of what src/ is now. */
export function buildIsCurrent() {
  let builtAt;
  try {
    builtAt = statSync(stampFile).mtimeMs;
  } catch {
    return false;
  }
  // A folder's time changes when a file is added, removed or renamed in it.
  if (buildInputs.some((file) => existsSync(file) && statSync(file).mtimeMs > builtAt)) return false;
  return !changedSince(srcDir, builtAt);
}

function changedSince(dir, time) {
  if (statSync(dir).mtimeMs > time) return true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

/** The TypeScript compiler's entry, or undefined where it is not installed (`npm ci --omit=dev`). */
function typescriptCompiler() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

/**
 * Builds into a folder of its own and then puts it in place of dist/, so a process starting
 * meanwhile never reads half a build and files removed from src/ leave nothing behind. Returns
 * false when the compiler is not installed; throws when it fails. With `unlessCurrent`, a build
 * another process finished meanwhile is kept (an app may be running from it).
 */
export function build(tsc = typescriptCompiler(), unlessCurrent = false) {
  if (!tsc) return false;
  const startedAt = new Date();
  const next = `${distDir}.${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  try {
    const result = spawnSync(process.execPath, [tsc, '-p', join(projectRoot, 'tsconfig.build.json'), '--noCheck', '--outDir', next], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`tsc could not compile src/:\n${result.stdout}${result.stderr}`);
    copyAssets(srcDir, next);
    writeFileSync(join(next, '.built'), '');
    utimesSync(join(next, '.built'), startedAt, startedAt);
    if (unlessCurrent && buildIsCurrent()) return true;
    // Two renames, so dist/ is missing for an instant only, not while a tree is deleted.
    const previous = `${distDir}.old.${process.pid}`;
    if (existsSync(distDir)) renameSync(distDir, previous);
    renameSync(next, distDir);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
  return true;
}

function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyAssets(source, to);
    else if (!entry.name.endsWith('.ts')) {
      const target = join(to, relative(srcDir, source));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(source, target);
    }
  }
}

/**
 * dist/ up to date: built now if src/ changed. False when it is out of date and cannot be built
 * here (no compiler installed): the caller then runs the sources through tsx.
 */
export function ensureBuilt() {
  if (buildIsCurrent()) return true;
  const tsc = typescriptCompiler();
  if (!tsc) return false;
  process.stderr.write('Compiling src/ to dist/ …\n');
  return build(tsc, true);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Before the sources are there (a Docker layer that installs packages first, where only
  // src/generated exists), there is nothing to build yet.
  if (!existsSync(join(srcDir, 'main.ts'))) process.exit(0);
  const built = process.argv.includes('--if-stale') ? ensureBuilt() : build();
  if (!built) process.stderr.write('TypeScript is not installed: dist/ is not built, the sources run through tsx.\n');
}
