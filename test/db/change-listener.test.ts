/**
 * The LISTEN connection comes back by itself: terminated from the server's side, again and again
 * (also while it is being opened again), it keeps trying — with a growing wait — and a later
 * notification arrives. Closed, it stops trying. PostgreSQL only.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresChangeListener } from '../../src/db/change-listener.js';
import type { Logger } from '../../src/log/logger.js';
import { testDatabaseUrl } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';

const url = testDatabaseUrl();

describe.skipIf(!url)('change listener reconnecting (postgres)', () => {
  const channel = `t_listen_${randomBytes(5).toString('hex')}`;
  const applicationName = `linli_${channel}`;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
  });

  /** Ends, from the server's side, every connection the listener has open (or is opening). */
  async function terminateListener(): Promise<number> {
    const result = await admin.query<{ pid: number }>(
      'SELECT pg_terminate_backend(pid) AS ended, pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [applicationName],
    );
    return result.rowCount ?? 0;
  }

  /** The listener's connection, once it is listening again. */
  async function listening(): Promise<boolean> {
    return (await listeningPids()).length > 0;
  }

  async function listeningPids(): Promise<number[]> {
    const result = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", [applicationName]);
    return result.rows.map((row) => row.pid);
  }

  /** Connections already ended: one may still be listed for a moment while its backend exits. */
  const ended = new Set<number>();

  /** A listening connection that has not been ended yet: the listener's new one. */
  async function newListener(): Promise<number | undefined> {
    return (await listeningPids()).find((pid) => !ended.has(pid));
  }

  /** Ends one connection from the server's side; whether it was still there to end. */
  async function terminate(pid: number): Promise<boolean> {
    ended.add(pid);
    const result = await admin.query<{ ended: boolean }>('SELECT pg_terminate_backend($1) AS ended', [pid]);
    return result.rows[0]?.ended === true;
  }

  it('keeps reconnecting after the server ends its connection, and hears later notifications', async () => {
    const listenUrl = new URL(url!);
    listenUrl.searchParams.set('application_name', applicationName);
    const warnings: unknown[] = [];
    const logger = { warn: (fields: unknown) => warnings.push(fields), info: () => {} } as unknown as Logger;
    const listen = postgresChangeListener(listenUrl.toString(), { logger, firstRetryMs: 20, maxRetryMs: 100 });
    const heard: string[] = [];
    const unlisten = await listen(channel, (payload) => heard.push(payload));

    await admin.query('SELECT pg_notify($1, $2)', [channel, 'before']);
    await waitFor(() => heard.includes('before') || undefined, 'the first notification');

    // Dropped three times over, each time once it is back.
    for (let round = 0; round < 3; round++) {
      const pid = await waitFor(newListener, 'the listener listening on a new connection');
      expect(await terminate(pid)).toBe(true);
    }
    // Then ended as fast as it comes back for a while: attempts fail, and it goes on trying.
    const failedBefore = warnings.length;
    const until = Date.now() + 500;
    while (Date.now() < until) await terminateListener();
    expect(warnings.length).toBeGreaterThan(failedBefore);

    await waitFor(listening, 'the listener back');
    await waitFor(async () => {
      await admin.query('SELECT pg_notify($1, $2)', [channel, 'after']);
      return heard.includes('after') || undefined;
    }, 'a notification after the reconnections');

    await unlisten();
    await waitFor(async () => !(await listening()) || undefined, 'the listener gone');
    // Closed: it does not come back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await listening()).toBe(false);
  });
});
