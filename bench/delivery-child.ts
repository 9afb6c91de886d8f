/** Starting and talking to a delivery process (delivery-process.ts) from a benchmark. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BulkSendProgress } from '../src/outbox/bulk-send.js';
import type { DeliveryProcessStart, FromDeliveryProcess } from './delivery-process.js';

type Finished = Extract<FromDeliveryProcess, { type: 'finished' }>;
type Ready = Extract<FromDeliveryProcess, { type: 'ready' }>;

export class DeliveryChild {
  private readonly child: ChildProcess;
  private latest: BulkSendProgress | undefined;
  private readonly exited: Promise<number | null>;
  private readonly waiters: ((message: FromDeliveryProcess) => void)[] = [];

  constructor(start: Omit<DeliveryProcessStart, 'type'>) {
    this.child = fork(fileURLToPath(new URL('./delivery-process.ts', import.meta.url)), [], {
      // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.on('message', (message: FromDeliveryProcess) => {
      if (message.type === 'progress') this.latest = message.progress;
      for (const waiter of [...this.waiters]) waiter(message);
    });
    this.child.send({ type: 'start', ...start });
  }

  /** The last progress the process reported. */
  get progress(): BulkSendProgress | undefined {
    return this.latest;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  ready(timeoutMs = 180_000): Promise<Ready> {
    return this.next((m): m is Ready => m.type === 'ready', timeoutMs, 'ready');
  }

  /** Resolves when a reported progress satisfies `done`. */
  async until(done: (progress: BulkSendProgress) => boolean, timeoutMs: number): Promise<BulkSendProgress> {
    if (this.latest && done(this.latest)) return this.latest;
    const message = await this.next(
      (m): m is Extract<FromDeliveryProcess, { type: 'progress' }> => m.type === 'progress' && done(m.progress),
      timeoutMs,
      'progress',
    );
    return message.progress;
  }

  /** Asks the process to stop cleanly and report. */
  async finish(timeoutMs = 60_000): Promise<Finished> {
    const finished = this.next((m): m is Finished => m.type === 'finished', timeoutMs, 'finished');
    this.child.send({ type: 'finish' });
    const result = await finished;
    await this.exited;
    return result;
  }

  /** The crash: SIGKILL, no goodbye. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private next<T extends FromDeliveryProcess>(match: (m: FromDeliveryProcess) => m is T, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`the delivery process sent no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onExit = (code: number | null) => {
        remove();
        reject(new Error(`the delivery process exited (${code}) before ${what}`));
      };
      const waiter = (message: FromDeliveryProcess) => {
        if (!match(message)) return;
        remove();
        resolve(message);
      };
      const remove = () => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
      };
      this.child.once('exit', onExit);
      this.waiters.push(waiter);
    });
  }
}
