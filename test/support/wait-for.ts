/**
 * The one way tests wait for something to happen: poll a condition (a row's state, a message
 * arrived, a queue drained) until it holds. The timeout is generous on purpose — it only decides
 * how long a broken test takes to fail, never whether a slow machine passes.
 */

/** What a check gives when the thing has not happened yet. */
type NotYet = undefined | null | false;

/** Long enough for a busy machine running many test files at once. */
export const WAIT_TIMEOUT_MS = 60_000;

/**
 * Resolves with the first value of `check` that is not undefined, null or false (so a check can
 * return the thing it waited for); throws naming `what` after `timeoutMs`.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<Exclude<T, NotYet>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as Exclude<T, NotYet>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
