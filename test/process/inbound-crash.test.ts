/**
 * Nothing the service accepted is lost, nothing is handled twice: many web chat browsers send a
 * burst of messages to the real app process, which is killed with SIGKILL while messages are
 * recorded but not yet handled, and started again; every browser sends again what got no answer
 * (as the page does) and goes on. Afterwards every message was handled exactly once — its row
 * `handled`, its reply written once — on the embedded default, on PostgreSQL, and on PostgreSQL
 * with Redis queues (those two only when TEST_DATABASE_URL / TEST_REDIS_URL are set).
 *
 * The kill is timed by a signal, never a sleep, and the test checks it landed where it matters:
 * right after the kill (the app dead, the database still) at least one message is `received`.
 * Without that the test could pass on a router that never takes such a message up again.
 *
 * - PostgreSQL: the test reads the app's database while it runs and kills it the moment several
 *   messages are recorded and not yet handled — turns in flight, nothing slowed down.
 * - Embedded: one process owns the database files, so nothing can look inside while the app runs,
 *   and the app logs nothing per recorded message (its per-request log line comes after the
 *   turn). The signal is one a person sees: with a low flood limit the app answers "you are
 *   sending too fast" for a message it has recorded and holds back for the rest of the flood
 *   window; killed then, that message is stranded for certain. (A crash in the short window of a
 *   turn in flight is covered by the PostgreSQL variants.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { dropSchema, testDatabaseUrl } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import { freePort, kill, startApp, tempDataDir, terminate, type AppProcess } from './support/app-process.js';

/** Many chats at once, so several turns are always in flight (one chat's turns run in order). */
const CHATS = 24;
const MESSAGES_PER_CHAT = 5;
/** PostgreSQL: killed once this many messages are recorded and not yet handled. */
const KILL_AT_RECEIVED = 3;
/**
 * Embedded: a person may send this many messages in the window before being held back; the next
 * one is recorded, answered "slow down" and held for the rest of the window — long enough that
 * the kill lands in it whatever the machine's load.
 */
const FLOOD_MAX_MESSAGES = 3;
const FLOOD_WINDOW_SECONDS = 120;
/** Two starts (the first migrates a fresh database) and the burst, on a busy two-core machine. */
const TEST_TIMEOUT_MS = 600_000;

const locales = loadTranslator(fileURLToPath(new URL('../../locales/', import.meta.url)));
/**
 * Every message of the burst is "帮助" (help), and every answer to it ends by showing the menu
 * again: one menu prompt written per message handled.
 */
const HELP_WORD = '帮助';
const MENU_PROMPT = locales.t('zh-CN', 'flows.main_menu.prompt');
const SLOW_DOWN = locales.t('zh-CN', 'router.slow_down');

interface Backend {
  name: string;
  env: Record<string, string>;
  /** Resolves, while the app runs, once a kill would strand a recorded message (see the top). */
  strandable(base: string, browsers: Browser[]): Promise<unknown>;
  /** Opens the app's database once the app has stopped. */
  open(dataDir: string): Promise<Database>;
  cleanUp(): Promise<void>;
}

/** Many browsers from one address: the per-address web chat limits must not refuse the burst. */
const BURST_LIMITS = { WEB_CHAT_SESSIONS_PER_MINUTE: String(CHATS * 4), WEB_CHAT_MESSAGES_PER_MINUTE: String(CHATS * MESSAGES_PER_CHAT * 4) };

function backends(): Backend[] {
  const embedded: Backend = {
    name: 'the embedded default',
    env: { FLOOD_MAX_MESSAGES: String(FLOOD_MAX_MESSAGES), FLOOD_WINDOW_SECONDS: String(FLOOD_WINDOW_SECONDS) },
    strandable: (base, browsers) =>
      waitFor(async () => {
        for (const browser of browsers) if (await browser.wasToldToSlowDown(base)) return true;
        return false;
      }, 'a browser told to slow down'),
    open: (dataDir) => openDatabase({ dataDir }),
    cleanUp: async () => {},
  };
  const url = testDatabaseUrl();
  if (!url) return [embedded];
  const onPostgres = (name: string, extra: Record<string, string>): Backend => {
    const schema = `t_crash_${randomBytes(5).toString('hex')}`;
    const databaseUrl = new URL(url);
    databaseUrl.searchParams.set('schema', schema);
    return {
      name,
      // A short claim: the dead process's messages are taken up soon after the restart.
      env: { DATABASE_URL: databaseUrl.toString(), LINLI_SECRET: randomBytes(32).toString('hex'), INBOUND_CLAIM_SECONDS: '2', ...extra },
      strandable: () => recordedNotHandled(url, schema, KILL_AT_RECEIVED),
      open: () => openDatabase({ databaseUrl: url, dataDir: tmpdir(), schema }),
      cleanUp: () => dropSchema(url, schema),
    };
  };
  const all = [embedded, onPostgres('PostgreSQL', {})];
  const redis = process.env['TEST_REDIS_URL'];
  if (redis) {
    // A database of its own on the Redis server: the app's queues use BullMQ's default prefix.
    const own = new URL(redis);
    own.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
    all.push(onPostgres('PostgreSQL + Redis', { REDIS_URL: own.toString() }));
  }
  return all;
}

/** Resolves once at least `count` messages of the app's PostgreSQL schema are `received`. */
async function recordedNotHandled(url: string, schema: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const received = async () => {
      const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."InboundMessage" WHERE status = 'received'`);
      return result.rows[0]!.n;
    };
    await waitFor(async () => (await received()) >= count, `${count} messages recorded and not yet handled`);
  } finally {
    await client.end();
  }
}

/** One browser: its identity cookie, and the ids of the messages it sent. */
class Browser {
  readonly sent: string[] = [];
  private constructor(private readonly cookie: string) {}

  static async open(base: string): Promise<Browser> {
    const response = await fetch(`${base}/chat`, { headers: { 'accept-language': 'zh-CN' } });
    await response.text();
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('no identity cookie');
    return new Browser(cookie);
  }

  /** Sends one message; true once the app has answered it, false if the app went away. */
  async send(base: string, id: string): Promise<boolean> {
    try {
      const response = await fetch(`${base}/chat/api/messages`, {
        method: 'POST',
        headers: { cookie: this.cookie, 'content-type': 'application/json', 'accept-language': 'zh-CN' },
        body: JSON.stringify({ id, text: HELP_WORD }),
      });
      await response.text();
      if (response.status === 200) return true;
      if (response.status >= 500) return false;
      throw new Error(`message refused: ${response.status}`);
    } catch (error) {
      if (error instanceof TypeError) return false; // the connection was cut: the process died
      throw error;
    }
  }

  /** Whether the app has told this browser it sends too fast (the page shows every row it has). */
  async wasToldToSlowDown(base: string): Promise<boolean> {
    const response = await fetch(`${base}/chat/api/history`, { headers: { cookie: this.cookie, 'accept-language': 'zh-CN' } });
    if (response.status !== 200) throw new Error(`history refused: ${response.status}`);
    const { rows } = (await response.json()) as { rows: { direction: string; text?: string }[] };
    return rows.some((row) => row.direction === 'out' && row.text === SLOW_DOWN);
  }
}

async function countReceived(backend: Backend, dataDir: string): Promise<number> {
  const database = await backend.open(dataDir);
  try {
    return await database.prisma.inboundMessage.count({ where: { status: 'received' } });
  } finally {
    await database.close();
  }
}

describe.each(backends())('kill -9 mid-burst on $name', (backend) => {
  const data = tempDataDir();
  let app: AppProcess | undefined;
  afterAll(async () => {
    await kill(app);
    await backend.cleanUp();
    data.remove();
  });

  it('handles every message exactly once after the restart', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const start = () => startApp({ dataDir: data.dir, port, env: { LOG_LEVEL: 'warn', ...BURST_LIMITS, ...backend.env } });
    app = await start();
    const browsers = await Promise.all(Array.from({ length: CHATS }, () => Browser.open(base)));

    let restarted!: () => void;
    const backUp = new Promise<void>((resolve) => (restarted = resolve));

    const burst = browsers.map(async (browser) => {
      for (let n = 0; n < MESSAGES_PER_CHAT; n++) {
        const id = randomUUID();
        browser.sent.push(id);
        // What got no answer is sent again, same id, once the app is back — as the page does.
        while (!(await browser.send(base, id))) await backUp;
      }
    });
    // If the burst ends first, the signal never came: the test fails rather than kill too late.
    const endedUnkilled = Promise.all(burst).then(() => {
      throw new Error('the burst ended before the kill');
    });
    endedUnkilled.catch(() => undefined); // only the race below reports it
    await Promise.race([backend.strandable(base, browsers), endedUnkilled]);
    app.child.kill('SIGKILL');
    await app.exited;

    // The kill landed where it matters: messages recorded and not handled (none lost yet, none done).
    const stranded = await countReceived(backend, data.dir);
    expect(stranded, 'messages left received by the kill').toBeGreaterThan(0);

    app = await start();
    restarted();
    await Promise.all(burst);

    // Every message handled; the replies may still be on their way, which does not matter here.
    await terminate(app);
    const database = await backend.open(data.dir);
    try {
      const rows = await database.prisma.inboundMessage.findMany({ where: { channel: 'web' }, select: { externalId: true, status: true } });
      const statusOf = new Map(rows.map((row) => [row.externalId.split(':')[1]!, row.status]));
      const chatOf = new Map(rows.map((row) => [row.externalId.split(':')[1]!, row.externalId.split(':')[0]!]));
      const sent = browsers.flatMap((browser) => browser.sent);
      expect(sent).toHaveLength(CHATS * MESSAGES_PER_CHAT);
      expect(sent.filter((id) => statusOf.get(id) !== 'handled')).toEqual([]);
      expect(rows.filter((row) => row.status === 'received')).toEqual([]);

      // Each message's turn wrote its reply once: as many menu prompts per chat as messages sent.
      const replies = await database.prisma.outboxMessage.findMany({ where: { channel: 'web' }, select: { chatId: true, payload: true } });
      for (const browser of browsers) {
        const chatId = chatOf.get(browser.sent[0]!);
        const menus = replies.filter((row) => row.chatId === chatId && (row.payload as { text?: string }).text === MENU_PROMPT);
        expect(menus, `chat ${chatId}`).toHaveLength(MESSAGES_PER_CHAT);
      }
    } finally {
      await database.close();
    }
  }, TEST_TIMEOUT_MS);
});

