/**
 * The app as a real operating-system process, started the way the README starts it
 * (`src/main.ts` through tsx) with nothing configured but what a test passes in. Everything the
 * process writes is kept, so tests can read its one-line errors and check its logs.
 */
export { freePort } from '../../support/ports.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../../src/config/config.js';
import { waitFor } from '../../support/wait-for.js';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Exit code, or the signal that ended the process. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Started as the leader of its own process group (`via: 'npm'`). */
  readonly groupLeader: boolean;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has ended (at once if it already has). */
  exited: Promise<Exit>;
  hasExited(): boolean;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  /** Settings on top of DATA_DIR and PORT; every other Linli setting is left unset. */
  env?: Record<string, string>;
  /**
   * `node` (default): `node --import tsx src/main.ts`, the app is the spawned process.
   * `npm`: `npm start` as the README and the container image run it, in a process group of its
   * own so cleanup reaches every process under it.
   */
  via?: 'node' | 'npm';
}


/** A fresh data directory, and the function that removes it. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'linli-proc-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The environment of a newcomer's shell: the test runner's own, minus every Linli setting
 * (a DATABASE_URL or REDIS_URL exported for other tests must not leak into "no configuration").
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of Object.keys(configSchema.shape)) delete env[setting];
  // Vitest marks its workers; the app must not believe it runs under a test runner.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_ENV') delete env[name];
  return env;
}

/** Spawns `src/main.ts` (what `npm start` runs) without waiting for it to be ready. */
export function spawnApp(options: StartOptions): AppProcess {
  const env: NodeJS.ProcessEnv = {
    ...cleanEnvironment(),
    DATA_DIR: options.dataDir,
    ...(options.port !== undefined ? { PORT: String(options.port) } : {}),
    ...options.env,
  };
  const viaNpm = options.via === 'npm';
  const child = viaNpm
    ? spawn('npm', ['start'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let ended = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error('could not spawn the app process');
  return { child, pid: child.pid, groupLeader: viaNpm, stdout: () => out, stderr: () => err, exited, hasExited: () => ended };
}

/**
 * Polls `/healthz` until it answers 200; fails with the process's output if it exits first or
 * the deadline passes. Resolves with the health body.
 */
export async function waitUntilHealthy(app: AppProcess, port: number, timeoutMs = 300_000): Promise<unknown> {
  try {
    return await waitFor(async () => {
      if (app.hasExited()) {
        const exit = await app.exited;
        throw new Error(`the app exited (${exit.code ?? exit.signal}) before it was healthy:\n${app.stderr()}\n${app.stdout()}`);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return (await response.json()) as unknown;
      } catch {
        // Not listening yet.
      }
      return undefined;
    }, 'the app to be healthy', timeoutMs);
  } catch (error) {
    if (app.hasExited()) throw error;
    throw new Error(`the app was not healthy within ${timeoutMs} ms:\n${app.stderr()}\n${app.stdout()}`);
  }
}

/** Starts the app and waits until it is healthy. */
export async function startApp(options: StartOptions & { port: number }): Promise<AppProcess> {
  const app = spawnApp(options);
  try {
    await waitUntilHealthy(app, options.port);
  } catch (error) {
    await kill(app);
    throw error;
  }
  return app;
}

/** Sends SIGTERM and waits for the exit; SIGKILL if it takes longer than `timeoutMs`. */
export async function terminate(app: AppProcess, timeoutMs = 20_000): Promise<Exit> {
  if (app.hasExited()) return app.exited;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), timeoutMs);
  try {
    return await app.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** For cleanup: makes sure the process (and its group, when it leads one) is gone, whatever state it is in. */
export async function kill(app: AppProcess | undefined): Promise<void> {
  if (!app) return;
  if (app.groupLeader) {
    // Processes under it may outlive it, so the group goes even when the leader has exited.
    try {
      process.kill(-app.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  } else if (!app.hasExited()) {
    app.child.kill('SIGKILL');
  }
  await app.exited;
}

/** Resolves with the exit, or rejects when the process is still running after `timeoutMs`. */
export function exitWithin(app: AppProcess, timeoutMs: number): Promise<Exit> {
  return new Promise<Exit>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${app.stderr()}`)), timeoutMs);
    void app.exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}
