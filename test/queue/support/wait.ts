/** Queue tests wait for things with `waitFor` (test/support/wait-for.ts); this is for making time pass. */

/** Waits for a fixed time: a job that takes a while, or a worker given time to go idle. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
