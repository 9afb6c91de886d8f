/**
 * Logs carry no personal data, even at the most talkative level: a person's message text, a
 * phone number in it and their cookie must never appear in what the process writes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, kill, startApp, tempDataDir, terminate, type AppProcess } from './support/app-process.js';
import { waitFor } from '../support/wait-for.js';

const PHONE = '13812345678';
const MARKER = 'PRIVATE-MARKER';
const MESSAGE = `我的电话${PHONE} ${MARKER}`;

interface Row {
  seq: string;
  direction: 'in' | 'out';
  kind: string;
  text?: string;
  choices?: { label: string; data: string }[];
}

describe('logs at LOG_LEVEL=debug', () => {
  const data = tempDataDir();
  let port: number;
  let app: AppProcess | undefined;
  let cookie = '';

  const api = (path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const history = async (): Promise<Row[]> => ((await (await api('/chat/api/history')).json()) as { rows: Row[] }).rows;

  /** Waits for the bot's next set of buttons after `afterSeq`; resolves with every row up to then. */
  const nextButtons = async (afterSeq = 0n): Promise<{ rows: Row[]; buttons: Row }> => {
    return waitFor(async () => {
      const rows = await history();
      const buttons = rows.find((row) => row.direction === 'out' && row.choices?.length && BigInt(row.seq) > afterSeq);
      return buttons ? { rows, buttons } : undefined;
    }, `new buttons after seq ${afterSeq}`);
  };

  beforeAll(async () => {
    port = await freePort();
    app = await startApp({ dataDir: data.dir, port, env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await kill(app);
    data.remove();
  });

  it('keeps message text, phone numbers and the session cookie out of stdout and stderr', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/chat`);
    cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^linli_chat=./);
    const cookieValue = cookie.slice('linli_chat='.length);

    expect((await api('/chat/api/start', {})).status).toBe(200);
    const menu = (await nextButtons()).buttons;

    // Free text on the menu: recorded, read as an answer, re-asked with the reason.
    const sent = await api('/chat/api/messages', { id: randomUUID(), text: MESSAGE });
    expect(sent.status).toBe(200);
    const reasked = await nextButtons(BigInt(menu.seq));
    expect(reasked.rows.some((row) => row.direction === 'in' && row.text === MESSAGE)).toBe(true);

    // A pressed button whose label carries the same data (the label is the browser's to send).
    const help = reasked.buttons.choices?.find((choice) => choice.data.includes('|help|'));
    expect(help).toBeDefined();
    const pressed = await api('/chat/api/messages', { id: randomUUID(), choice: { data: help!.data, label: MESSAGE } });
    expect(pressed.status).toBe(200);
    await nextButtons(BigInt(reasked.buttons.seq));

    const exit = await terminate(app!);
    expect(exit.code).toBe(0);

    const output = app!.stdout() + app!.stderr();
    // The test is only worth something if debug lines were written while the messages went through.
    expect(output).toMatch(/"level":20\b/);
    expect(output).toMatch(/"route":"\/chat\/api\/messages"/);
    for (const secret of [PHONE, MARKER, '我的电话', cookieValue]) expect(output).not.toContain(secret);
  });
});
