/**
 * Port 3000 is a popular default: when something else already listens on the configured port,
 * start-up stops with one line naming the address, exit code 1, and leaves the data directory
 * usable by the next start.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, freePort, kill, startApp, spawnApp, tempDataDir, terminate, type AppProcess } from './support/app-process.js';

describe('a port already in use', () => {
  const data = tempDataDir();
  let port: number;
  let squatter: Server;
  let refused: AppProcess | undefined;
  let retried: AppProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await kill(refused);
    await kill(retried);
    await new Promise((resolve) => squatter.close(resolve));
    data.remove();
  });

  it('stops start-up with one line naming the address and exit code 1', async () => {
    refused = spawnApp({ dataDir: data.dir, port });
    const exit = await exitWithin(refused, 100_000);
    expect(exit.code, refused.stderr()).toBe(1);
    const lines = refused.stderr().split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Linli could not start: .*EADDRINUSE.*127\\.0\\.0\\.1:${port}\\b`));
    console.log(`port in use: ${lines[0]}`);
  }, 120_000);

  it('leaves the data directory to the next start once the port is free', async () => {
    await new Promise((resolve) => squatter.close(resolve));
    retried = await startApp({ dataDir: data.dir, port });
    expect((await terminate(retried)).code).toBe(0);
    expect(existsSync(join(data.dir, 'pglite.lock'))).toBe(false);
  }, 120_000);
});
