/**
 * The app listens a moment before its channels start (it first takes up what a crash left
 * behind). In that moment `/healthz` says it is still starting, so an orchestrator or a check
 * waits, and a resident whose browser sends a message then is answered once the app has
 * started, not refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/log/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('an app that listens before its channels have started', () => {
  let app: App | undefined;
  let db: TestDatabase | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-start-order-'));
  afterAll(async () => {
    await app?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says it is starting on /healthz, and answers a message sent meanwhile once it has started', async () => {
    db = await createTestDatabase('pglite');
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', LINLI_SECRET: 'test-secret-test-secret-test-secret-42', PORT: '0' });
    app = await createApp({ config, logger: createLogger(config.LOG_LEVEL), serve: true, database: db, queuePrefix: `t${randomBytes(5).toString('hex')}` });

    const starting = await app.http.inject({ method: 'GET', url: '/healthz' });
    expect(starting.statusCode).toBe(503);
    expect(starting.json()).toMatchObject({ status: 'degraded', checks: { started: 'starting', database: 'ok' } });

    const page = await app.http.inject({ method: 'GET', url: '/chat', headers: { 'accept-language': 'zh-CN' } });
    expect(page.statusCode).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const greeting = app.http.inject({ method: 'POST', url: '/chat/api/start', headers: { cookie, 'content-type': 'application/json' }, payload: '{}' });
    // The request is waiting for the start, not refused.
    const settledEarly = await Promise.race([greeting.then(() => true), new Promise((resolve) => setImmediate(() => resolve(false)))]);
    expect(settledEarly).toBe(false);

    await app.start();
    expect((await greeting).statusCode).toBe(200);
    const healthy = await app.http.inject({ method: 'GET', url: '/healthz' });
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toMatchObject({ status: 'ok', checks: { started: 'ok' } });
    // The greeting was handed on: the bot greets this browser.
    await expect.poll(async () => db!.prisma.webChatMessage.count({ where: { direction: 'out' } })).toBeGreaterThan(0);
  });
});
