/**
 * `npm start` is the README's start command and the container image's CMD, so the SIGTERM a
 * service manager or `docker stop` sends goes to npm. The app under it must then shut down
 * gracefully (its "stopped" log, the port closed), not be left running on its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { exitWithin, freePort, kill, startApp, tempDataDir, type AppProcess } from './support/app-process.js';

/** Whether anything still answers on the port. */
async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  const data = tempDataDir();
  let app: AppProcess | undefined;
  afterAll(async () => {
    await kill(app);
    data.remove();
  });

  it('passes SIGTERM on to the app, which stops gracefully', async () => {
    const port = await freePort();
    app = await startApp({ dataDir: data.dir, port, via: 'npm' });
    app.child.kill('SIGTERM');
    const exit = await exitWithin(app, 90_000);

    await waitFor(async () => !(await answers(port)), 'the app to stop serving after npm was told to stop');
    expect(app.stdout()).toMatch(/"msg":"stopped"/);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 120_000);
});
