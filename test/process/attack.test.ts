/**
 * The outside review's attack, replayed against the app as a real process (`src/main.ts`, the
 * embedded database, the Telegram webhook against a fake Bot API, Open311 with a key): 12 MB
 * bodies to every POST route with and without valid keys, text that cannot be stored, numbers
 * past 64 bits, malformed JSON, wrong content types and a flood of sessions and messages from
 * one address. Every one gets a 4xx with a plain body; a second address is not locked out; and
 * the process's memory grows by less than 50 MB across all of it (nine 12 MB bodies once took
 * it from 376 MB to 1.09 GB).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import { INTERNALS } from '../support/internals.js';
import { freePort, kill, startApp, tempDataDir, type AppProcess } from './support/app-process.js';
import { residentBytes, send, type Answer, type RawRequest } from './support/attack.js';

const MB12 = Buffer.alloc(12 * 1024 * 1024, 'a');
const KEY = 'open311-attack-test-key-0123456789';
const SECRET = 'attack-test-webhook-secret';
const SESSIONS_PER_MINUTE = 10;
const MESSAGES_PER_MINUTE = 20;
const SECOND_ADDRESS = '127.0.0.2';

describe('the review’s attack on a running app', () => {
  const data = tempDataDir();
  let telegram: FakeTelegramBotApi;
  let app: AppProcess | undefined;
  let port: number;
  let cookie: string;

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 20 });
    port = await freePort();
    app = await startApp({
      dataDir: data.dir,
      port,
      env: {
        LOG_LEVEL: 'warn',
        OPEN311_API_KEYS: KEY,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        WEB_CHAT_SESSIONS_PER_MINUTE: String(SESSIONS_PER_MINUTE),
        WEB_CHAT_MESSAGES_PER_MINUTE: String(MESSAGES_PER_MINUTE),
      },
    });
  }, 120_000);
  afterAll(async () => {
    await kill(app);
    await telegram?.close();
    data.remove();
  });

  const call = (raw: Omit<RawRequest, 'port'>) => send({ port, ...raw });
  const json = (body: string) => ({ 'content-type': 'application/json', ...(body ? {} : {}) });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const message = (text: string) => `{"id":"${randomUUID()}","text":"${text}"}`;

  /** A refusal: the status, and a short body that names nothing internal. */
  const expectPlain = (name: string, answer: Answer, status: number) => {
    expect(answer.status, `${name}: ${answer.body.slice(0, 300)}`).toBe(status);
    expect(answer.body.length, name).toBeLessThan(1_000);
    expect(answer.body, name).not.toMatch(INTERNALS);
    const type = String(answer.headers['content-type'] ?? '');
    if (type.startsWith('application/json')) {
      const body = JSON.parse(answer.body) as unknown;
      const plain = Array.isArray(body) ? (body[0] as { description?: unknown }).description : ((body as { message?: unknown; error?: unknown }).message ?? (body as { error?: unknown }).error);
      expect(typeof plain, name).toBe('string');
    }
  };

  it('answers every attack with a plain 4xx, keeps a second address served, and grows by less than 50 MB', async () => {
    // A browser as residents have them, before the attack: the memory baseline is a served app.
    const page = await call({ method: 'GET', path: '/chat' });
    expect(page.status).toBe(200);
    cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const chat = { cookie, 'content-type': 'application/json' };
    expect((await call({ method: 'POST', path: '/chat/api/start', headers: chat, body: '{}' })).status, `${app!.stderr()}\n${app!.stdout()}`).toBe(200);
    expect((await call({ method: 'POST', path: '/chat/api/messages', headers: chat, body: message('你好') })).status).toBe(200);
    const before = residentBytes(app!.pid);

    const attacks: Array<[string, Omit<RawRequest, 'port'>, number]> = [
      // 12 MB bodies to every POST route, without and with a valid key, secret or session.
      ['12 MB message, no session', { method: 'POST', path: '/chat/api/messages', headers: json(''), body: MB12 }, 401],
      ['12 MB message', { method: 'POST', path: '/chat/api/messages', headers: chat, body: MB12 }, 413],
      ['12 MB start, no session', { method: 'POST', path: '/chat/api/start', headers: json(''), body: MB12 }, 401],
      ['12 MB start', { method: 'POST', path: '/chat/api/start', headers: chat, body: MB12 }, 413],
      ['12 MB photo, no session', { method: 'POST', path: `/chat/api/photos?id=${randomUUID()}`, headers: { 'content-type': 'image/jpeg' }, body: MB12 }, 401],
      ['12 MB photo', { method: 'POST', path: `/chat/api/photos?id=${randomUUID()}`, headers: { cookie, 'content-type': 'image/jpeg' }, body: MB12 }, 413],
      ['12 MB webhook, no secret', { method: 'POST', path: '/telegram/webhook', headers: json(''), body: MB12 }, 401],
      ['12 MB webhook', { method: 'POST', path: '/telegram/webhook', headers: { ...json(''), 'x-telegram-bot-api-secret-token': SECRET }, body: MB12 }, 413],
      ['12 MB Open311 JSON, wrong key', { method: 'POST', path: '/open311/v2/requests.json?api_key=wrong-key-0123456789', headers: form, body: MB12 }, 403],
      ['12 MB Open311 JSON, key in body', { method: 'POST', path: '/open311/v2/requests.json', headers: form, body: MB12 }, 413],
      ['12 MB Open311 XML, valid key', { method: 'POST', path: `/open311/v2/requests.xml?api_key=${KEY}`, headers: form, body: MB12 }, 413],
      ['12 MB to no route', { method: 'POST', path: '/nowhere', headers: json(''), body: MB12 }, 413],
      // Text that cannot be stored.
      ['NUL in a message', { method: 'POST', path: '/chat/api/messages', headers: chat, body: message('a\\u0000b') }, 400],
      ['lone surrogate in a message', { method: 'POST', path: '/chat/api/messages', headers: chat, body: message('a\\ud83d') }, 400],
      ['NUL in an Open311 description', { method: 'POST', path: '/open311/v2/requests.json', headers: form, body: `api_key=${KEY}&service_code=environment_sanitation&address_string=x&description=a%00b` }, 400],
      ['lone surrogate in an Open311 description', { method: 'POST', path: '/open311/v2/requests.json', headers: json(''), body: `{"api_key":"${KEY}","service_code":"environment_sanitation","address_string":"x","description":"\\udc4d"}` }, 400],
      // Numbers past 64 bits.
      ['history after 2^64', { method: 'GET', path: '/chat/api/history?after=18446744073709551616', headers: { cookie } }, 400],
      ['events after 10^20', { method: 'GET', path: '/chat/api/events?after=99999999999999999999', headers: { cookie } }, 400],
      ['Open311 latitude 1e400', { method: 'POST', path: '/open311/v2/requests.json', headers: form, body: `api_key=${KEY}&service_code=environment_sanitation&lat=1e400&long=1&description=x` }, 400],
      // Malformed JSON.
      ['malformed message', { method: 'POST', path: '/chat/api/messages', headers: chat, body: '{"id":' }, 400],
      ['malformed update', { method: 'POST', path: '/telegram/webhook', headers: { ...json(''), 'x-telegram-bot-api-secret-token': SECRET }, body: '{"update_id":' }, 400],
      ['malformed Open311 JSON', { method: 'POST', path: '/open311/v2/requests.json', headers: json(''), body: '{"api_key":' }, 400],
      // Wrong content types.
      ['message as XML', { method: 'POST', path: '/chat/api/messages', headers: { cookie, 'content-type': 'application/xml' }, body: '<m/>' }, 415],
      ['message as text/plain', { method: 'POST', path: '/chat/api/messages', headers: { cookie, 'content-type': 'text/plain' }, body: 'hello' }, 400],
      ['update as XML', { method: 'POST', path: '/telegram/webhook', headers: { 'content-type': 'application/xml', 'x-telegram-bot-api-secret-token': SECRET }, body: '<u/>' }, 415],
      ['update as text/plain', { method: 'POST', path: '/telegram/webhook', headers: { 'content-type': 'text/plain', 'x-telegram-bot-api-secret-token': SECRET }, body: 'hello' }, 400],
      ['Open311 as text/csv', { method: 'POST', path: '/open311/v2/requests.xml', headers: { 'content-type': 'text/csv' }, body: 'a,b' }, 415],
      ['photo as JSON', { method: 'POST', path: `/chat/api/photos?id=${randomUUID()}`, headers: chat, body: '{}' }, 415],
    ];
    for (const [name, raw, status] of attacks) expectPlain(name, await call(raw), status);

    // A flood of sessions, then of messages, from this address: 429 with Retry-After.
    const sessions: Answer[] = [];
    for (let i = 0; i < SESSIONS_PER_MINUTE + 5; i += 1) sessions.push(await call({ method: 'GET', path: '/chat', headers: { 'accept-language': 'en' } }));
    const refusedSession = sessions.at(-1)!;
    expectPlain('session flood', refusedSession, 429);
    expect(Number(refusedSession.headers['retry-after'])).toBeGreaterThan(0);
    expect(refusedSession.body).toMatch(/^Too many requests from your network/);
    const messages: Answer[] = [];
    for (let i = 0; i < MESSAGES_PER_MINUTE + 5; i += 1) messages.push(await call({ method: 'POST', path: '/chat/api/messages', headers: chat, body: message(`flood ${i}`) }));
    const refusedMessage = messages.at(-1)!;
    expectPlain('message flood', refusedMessage, 429);
    expect(Number(refusedMessage.headers['retry-after'])).toBeGreaterThan(0);

    // A neighbour at another address is served as usual.
    const neighbourPage = await call({ method: 'GET', path: '/chat', from: SECOND_ADDRESS });
    expect(neighbourPage.status).toBe(200);
    const neighbourCookie = String(neighbourPage.headers['set-cookie']).split(';')[0]!;
    const neighbourMessage = await call({ method: 'POST', path: '/chat/api/messages', from: SECOND_ADDRESS, headers: { cookie: neighbourCookie, 'content-type': 'application/json' }, body: message('邻居你好') });
    expect(neighbourMessage.status, neighbourMessage.body).toBe(200);

    const grown = residentBytes(app!.pid) - before;
    expect(grown, `resident memory grew by ${Math.round(grown / 1024 / 1024)} MB`).toBeLessThan(50 * 1024 * 1024);
    expect(app!.hasExited()).toBe(false);
  }, 120_000);
});
