/**
 * The parent-facing side of a benchmark's app process (tickets-app-process.ts and its kin): the
 * parent sends `start`, later `finish`; `start` begins the work, `finish` reports and exits, any
 * other message goes to `other`. A failure is reported as `failed` and the app stopped; a parent
 * that goes away (nothing will tell this process to finish) stops the app too. The process exits
 * a few seconds after, whatever handles are left open.
 */

const EXIT_GRACE_MS = 5_000;

export interface ChildWork<M extends { type: string }> {
  /** Printed when the file is run by hand: which bench starts it. */
  usage: string;
  begin(message: Extract<M, { type: 'start' }>): Promise<void>;
  /** Reports to the parent; the process exits after. */
  finish(): Promise<void>;
  /** A message other than start and finish (may throw: reported as failed). */
  other?(message: M): void;
  /** Stops the app when it runs. */
  stop(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function serveParent<M extends { type: string }>(work: ChildWork<M>): void {
  const exitSoon = (code: number) => {
    process.exitCode = code;
    if (process.connected) process.disconnect();
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  };
  const failed = async (error: unknown) => {
    process.send?.({ type: 'failed', error: describe(error) });
    await work.stop().catch(() => undefined);
    exitSoon(1);
  };
  if (!process.send) {
    console.error(work.usage);
    process.exit(2);
  }
  process.on('message', (message: M) => {
    try {
      if (message.type === 'start') work.begin(message as Extract<M, { type: 'start' }>).catch(failed);
      else if (message.type === 'finish') work.finish().then(() => exitSoon(0), failed);
      else work.other?.(message);
    } catch (error) {
      void failed(error);
    }
  });
  process.on('disconnect', () => {
    if (process.exitCode === undefined) void work.stop().catch(() => undefined).finally(() => exitSoon(1));
  });
}
