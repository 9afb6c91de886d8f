/**
 * Measuring one process from the outside, for `bench:startup`: how long from spawning it until it
 * prints the ready line (or exits), and its resident memory once it has been idle for a while.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Command {
  /** The executable and its arguments. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface StartMeasurement {
  /** Spawned → the ready line on stdout. */
  readyMs: number;
  /**
   * CPU time the process had used by then (all its threads; NaN where /proc is not there): it
   * varies far less than the wall-clock time with what else the machine is doing.
   */
  cpuMs: number;
  /** VmRSS after `idleMs` past ready (NaN where /proc is not there). */
  idleRssBytes: number;
}

const READY_LINE = 'Linli is ready';
const START_DEADLINE_MS = 120_000;

/**
 * Starts the app, waits for its ready line, lets it idle, reads its memory and stops it with
 * SIGTERM (as an operator's Ctrl-C). The command must exec node itself (no npm around it), so the
 * memory read is the app's.
 */
export async function measureStart(command: Command, idleMs: number): Promise<StartMeasurement> {
  const startedAt = performance.now();
  const [file, ...args] = command.argv;
  const child = spawn(file!, args, { cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const { readyMs, cpuMs } = await new Promise<{ readyMs: number; cpuMs: number }>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no ready line within ${START_DEADLINE_MS} ms`)), START_DEADLINE_MS);
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes(READY_LINE)) {
          clearTimeout(deadline);
          resolve({ readyMs: performance.now() - startedAt, cpuMs: cpuTimeMs(child.pid!) });
        }
      });
      void exited.then((code) => {
        clearTimeout(deadline);
        reject(new Error(`exited with ${code} before ready: ${err.trim().split('\n').slice(-3).join(' / ')}`));
      });
    });
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return { readyMs, cpuMs, idleRssBytes: residentBytes(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Spawned → exited, in ms; throws with its stderr when the exit code is not 0. */
export async function measureRun(command: Command): Promise<number> {
  const startedAt = performance.now();
  const [file, ...args] = command.argv;
  const child = spawn(file!, args, { cwd: command.cwd, env: command.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  if (code !== 0) throw new Error(`${command.argv.slice(1).join(' ')} exited with ${code}: ${err.trim().split('\n')[0] ?? ''}`);
  return performance.now() - startedAt;
}

function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 10 ms (Linux's USER_HZ). */
function cpuTimeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The middle value (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
