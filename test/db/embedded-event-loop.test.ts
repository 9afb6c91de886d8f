/**
 * The embedded database runs inside the process and answers through promises alone; a long
 * run of statements must still let the rest of the process have its turn — above all a person
 * whose browser opens a new connection while everyone else keeps the database busy (the
 * web chat bench saw such people wait over 30 s while those already connected got replies in
 * about one). A clock of the test's own makes every statement "take" a millisecond, so how
 * often the statements stand aside does not depend on how fast this machine is.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { sqlRunnerFor } from '../../src/db/sql.js';
import { migratedPgliteSnapshot } from '../support/pglite-snapshot.js';

/** Sessions keeping the database busy, and the statements each sends one after another. */
const BUSY_SESSIONS = 20;
const STATEMENTS_EACH = 100;
const TOTAL = BUSY_SESSIONS * STATEMENTS_EACH;

describe('the embedded database under a long run of statements', () => {
  let db: Database;
  let server: http.Server;
  let baseUrl: string;
  /** Statements of the busy sessions finished so far. */
  let finished = 0;

  beforeAll(async () => {
    let fakeMs = 0;
    db = await openDatabase({
      dataDir: tmpdir(),
      inMemory: true,
      loadDataDir: await migratedPgliteSnapshot(),
      eventLoopShare: { sliceMs: 10, now: () => (fakeMs += 1) },
    });
    // A newcomer's request: one statement through Prisma, then the answer.
    server = http.createServer((_request, response) => {
      void db.prisma.community.count().then(
        () => response.end(String(finished)),
        (error: unknown) => response.destroy(error as Error),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await db?.close();
  });

  /** Sessions that each send their statements as fast as the answers come (plain SQL, as turns do). */
  function keepBusy(): Promise<void> {
    const sql = sqlRunnerFor(db.prisma);
    return Promise.all(
      Array.from({ length: BUSY_SESSIONS }, async () => {
        for (let i = 0; i < STATEMENTS_EACH; i += 1) {
          await sql.query('SELECT 1 AS one', []);
          finished += 1;
        }
      }),
    ).then(() => undefined);
  }

  /** A request on a connection of its own (no keep-alive pool): resolves with the answer's body. */
  function newcomer(): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = http.get(`${baseUrl}/`, { agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  }

  it('answers a request on a new connection while the others are still being served', async () => {
    finished = 0;
    const busy = keepBusy();
    const answeredAfter = Number(await newcomer());
    await busy;

    expect(finished).toBe(TOTAL);
    // Answered long before the others were done, not after all of them.
    expect(answeredAfter).toBeLessThan(TOTAL / 2);
  });

  it('lets a timer that falls due run while the statements go on', async () => {
    finished = 0;
    let seenByTimer: number | undefined;
    setTimeout(() => (seenByTimer = finished), 0);
    await keepBusy();

    expect(seenByTimer).toBeDefined();
    expect(seenByTimer!).toBeLessThan(TOTAL);
  });
});
