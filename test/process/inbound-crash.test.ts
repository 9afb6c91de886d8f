/**
 * Nothing the service accepted is lost, nothing is handled twice: many web chat browsers send a
 * burst of messages to the real app process, which is killed with SIGKILL mid-burst and started
 * again; every browser sends again what got no answer (as the page does) and goes on. Afterwards
 * every message was handled exactly once — its row `handled`, its reply written once — on the
 * embedded default, on PostgreSQL, and on PostgreSQL with Redis queues (those two only when
 * TEST_DATABASE_URL / TEST_REDIS_URL are set).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { dropSchema, testDatabaseUrl } from '../support/database.js';
import { freePort, kill, startApp, tempDataDir, terminate, type AppProcess } from './support/app-process.js';

const CHATS = 16;
const MESSAGES_PER_CHAT = 5;
/** Killed once this many messages have been answered: mid-burst. */
const KILL_AFTER = Math.round((CHATS * MESSAGES_PER_CHAT) / 3);
/** Two starts (the first migrates a fresh database) and the burst, on a busy two-core machine. */
const TEST_TIMEOUT_MS = 600_000;

const locales = loadTranslator(fileURLToPath(new URL('../../locales/', import.meta.url)));
/**
 * Every message of the burst is "帮助" (help), and every answer to it ends by showing the menu
 * again: one menu prompt written per message handled.
 */
const HELP_WORD = '帮助';
const MENU_PROMPT = locales.t('zh-CN', 'flows.main_menu.prompt');

interface Backend {
  name: string;
  env: Record<string, string>;
  /** Opens the app's database once the app has stopped. */
  open(dataDir: string): Promise<Database>;
  cleanUp(): Promise<void>;
}

function backends(): Backend[] {
  const embedded: Backend = {
    name: 'the embedded default',
    env: {},
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
    const start = () => startApp({ dataDir: data.dir, port, env: { LOG_LEVEL: 'warn', ...backend.env } });
    app = await start();
    const browsers = await Promise.all(Array.from({ length: CHATS }, () => Browser.open(base)));

    let answered = 0;
    let killed!: () => void;
    const killTime = new Promise<void>((resolve) => (killed = resolve));
    let restarted!: () => void;
    const backUp = new Promise<void>((resolve) => (restarted = resolve));

    const burst = browsers.map(async (browser) => {
      for (let n = 0; n < MESSAGES_PER_CHAT; n++) {
        const id = randomUUID();
        browser.sent.push(id);
        // What got no answer is sent again, same id, once the app is back — as the page does.
        while (!(await browser.send(base, id))) await backUp;
        answered += 1;
        if (answered === KILL_AFTER) killed();
      }
    });
    await killTime;
    app.child.kill('SIGKILL');
    await app.exited;
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

