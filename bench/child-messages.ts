/**
 * Talking to a benchmark's child process over its IPC channel: wait for one kind of message (a
 * 'failed' message, an exit or a timeout rejects), and wait for the child to exit.
 */
import type { ChildProcess } from 'node:child_process';

/** Messages a benchmark child sends: a `type`, and an `error` when that type is 'failed'. */
export type ChildMessage = { type: string; error?: string };

/** Resolves with the child's first message of `type`; rejects on 'failed', exit or timeout. */
export function nextMessage<M extends ChildMessage, T extends M['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  who: string,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: M) => {
      if (message.type === type) {
        cleanup();
        resolve(message as Extract<M, { type: T }>);
      } else if (message.type === 'failed') {
        cleanup();
        reject(new Error(message.error ?? 'failed'));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`the ${who} process exited (${signal ?? `code ${code}`}) before "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the ${who} process sent no "${type}" within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Resolves when the child has exited; kills it after `timeoutMs`. */
export function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Stops a child still running (SIGTERM, then SIGKILL after `timeoutMs`); for `finally` blocks. */
export async function stopIfRunning(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited(child, timeoutMs);
}
