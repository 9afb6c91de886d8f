import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBrowser, newClientId, startWebChat, type WebChatHarness } from './web-chat-harness.js';
import { databaseTargets } from '../../support/database.js';
import { WAIT_TIMEOUT_MS, waitFor } from '../../support/wait-for.js';

/** One open event stream read the way a browser's EventSource reads it. */
class EventReader {
  readonly events: { id?: string; data: string }[] = [];
  comments = 0;
  private buffer = '';
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  status = 0;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  async open(): Promise<void> {
    const response = await fetch(this.url, { headers: this.headers, signal: this.controller.signal });
    this.status = response.status;
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          this.buffer += value;
          this.parse();
        }
      } catch {
        // aborted
      }
      this.ended = true;
      this.wake();
    })();
  }

  ended = false;

  private parse() {
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: { id?: string; data: string } = { data: '' };
      let isEvent = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments += 1;
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) {
          event.data += line.slice(6);
          isEvent = true;
        }
      }
      if (isEvent) this.events.push(event);
    }
    this.wake();
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Resolves when `predicate` holds, or rejects after a generous time naming `what`. */
  async until(predicate: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  texts(): string[] {
    return this.events.map((e) => JSON.parse(e.data).text as string);
  }

  close() {
    this.controller.abort();
  }
}

describe.each(databaseTargets())('web chat event stream (%s)', (target) => {
  let chat: WebChatHarness;
  let base: string;
  const readers: EventReader[] = [];

  /** Writes a row straight to the table, as a delivery worker in another process would. */
  const writeAsAnotherProcess = (sessionId: string, text: string) =>
    chat.prisma.webChatMessage.create({ data: { communityId: chat.communityId, sessionId, direction: 'out', payload: { text } } });

  const stream = async (cookie: string, query = '', headers: Record<string, string> = {}) => {
    const reader = new EventReader(`${base}/chat/api/events${query}`, { cookie, ...headers });
    readers.push(reader);
    await reader.open();
    return reader;
  };

  beforeAll(async () => {
    // A slow re-check, so the in-process push and the re-check can be told apart.
    chat = await startWebChat({ target, eventStream: { pollMs: 2500, heartbeatMs: 400 } });
    base = await chat.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    readers.forEach((r) => r.close());
    await chat.close();
  });

  it('pushes a message sent in this process, with no re-check of the database', async () => {
    // Re-checks an hour apart: only the in-process push can bring the message during the test.
    const pushOnly = await startWebChat({ target, eventStream: { pollMs: 3_600_000, heartbeatMs: 400 } });
    const pushBase = await pushOnly.app.listen({ host: '127.0.0.1', port: 0 });
    const browser = newBrowser();
    const events = new EventReader(`${pushBase}/chat/api/events`, { cookie: browser.cookie });
    await events.open();
    expect(events.status).toBe(200);
    await events.until(() => events.comments > 0, 'the stream to open');
    const sent = await pushOnly.channel.send(browser.sessionId, { text: '欢迎！', choices: [{ label: '报修', data: 'd1' }] });
    await events.until(() => events.events.length === 1, 'the pushed message');
    events.close();
    await pushOnly.close();
    expect(events.events[0]?.id).toBe(sent.externalMessageId);
    expect(JSON.parse(events.events[0]?.data ?? '{}')).toMatchObject({
      seq: sent.externalMessageId,
      direction: 'out',
      text: '欢迎！',
      choices: [{ label: '报修', data: 'd1' }],
    });
  });

  it('delivers rows another process wrote, by re-checking the database', async () => {
    const browser = newBrowser();
    const events = await stream(browser.cookie);
    await events.until(() => events.comments > 0 || events.events.length > 0, 'the stream to open');
    // Written straight to the table, as a delivery worker in another process would.
    await chat.prisma.webChatMessage.create({
      data: { communityId: chat.communityId, sessionId: browser.sessionId, direction: 'out', payload: { text: '来自另一个进程' } },
    });
    await events.until(() => events.events.length === 1, 'the re-checked row');
    expect(events.texts()).toEqual(['来自另一个进程']);
  });

  it('still delivers a row that committed after a newer one (its seq is lower)', async () => {
    const browser = newBrowser();
    // Take a seq number now, as a slow transaction would, and give it back.
    const reserved = await chat.prisma.webChatMessage.create({
      data: { communityId: chat.communityId, sessionId: 'placeholder', direction: 'out', payload: {} },
    });
    await chat.prisma.webChatMessage.delete({ where: { seq: reserved.seq } });
    const events = await stream(browser.cookie, `?after=${reserved.seq - 1n}`);
    await chat.channel.send(browser.sessionId, { text: 'newer' });
    await events.until(() => events.events.length === 1, 'the newer row');
    await chat.prisma.webChatMessage.create({
      data: { seq: reserved.seq, communityId: chat.communityId, sessionId: browser.sessionId, direction: 'out', payload: { text: 'late' } },
    });
    await events.until(() => events.events.length === 2, 'the late row');
    expect(events.texts()).toEqual(['newer', 'late']);
  });

  it('catches up from ?after= and from Last-Event-ID, and never repeats a row', async () => {
    const browser = newBrowser();
    const first = await chat.channel.send(browser.sessionId, { text: 'one' });
    await chat.channel.send(browser.sessionId, { text: 'two' });
    const third = await chat.channel.send(browser.sessionId, { text: 'three' });
    const fromQuery = await stream(browser.cookie, `?after=${first.externalMessageId}`);
    await fromQuery.until(() => fromQuery.events.length === 2, 'catch-up rows');
    const fromHeader = await stream(browser.cookie, '?after=0', { 'last-event-id': third.externalMessageId });
    await chat.channel.send(browser.sessionId, { text: 'four' });
    await fromHeader.until(() => fromHeader.events.length === 1, 'the row after Last-Event-ID');
    // A row only a re-check brings (written as another process would): once it is there, a
    // re-check has run over the rows already sent.
    await writeAsAnotherProcess(browser.sessionId, 'five');
    await fromQuery.until(() => fromQuery.texts().includes('five'), 'a re-check');
    await fromHeader.until(() => fromHeader.texts().includes('five'), 'a re-check');
    expect(fromQuery.texts()).toEqual(['two', 'three', 'four', 'five']);
    expect(fromHeader.texts()).toEqual(['four', 'five']);
  });

  it('also streams the person’s own messages (for other tabs), and nothing of other sessions', async () => {
    const alice = newBrowser();
    const bob = newBrowser();
    const bobEvents = await stream(bob.cookie);
    const aliceEvents = await stream(alice.cookie);
    await chat.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { cookie: alice.cookie },
      payload: { id: newClientId(), text: '我是 Alice' },
    });
    await chat.channel.send(alice.sessionId, { text: 'for alice' });
    await chat.channel.send(bob.sessionId, { text: 'for bob' });
    await aliceEvents.until(() => aliceEvents.events.length === 2, 'alice rows');
    await bobEvents.until(() => bobEvents.events.length === 1, 'bob rows');
    // Rows only a re-check brings: once each stream has its own, a re-check has run for both.
    await writeAsAnotherProcess(alice.sessionId, 'later for alice');
    await writeAsAnotherProcess(bob.sessionId, 'later for bob');
    await aliceEvents.until(() => aliceEvents.texts().includes('later for alice'), 'a re-check');
    await bobEvents.until(() => bobEvents.texts().includes('later for bob'), 'a re-check');
    expect(aliceEvents.texts()).toEqual(['我是 Alice', 'for alice', 'later for alice']);
    expect(bobEvents.texts()).toEqual(['for bob', 'later for bob']);
  });

  it('sends heartbeat comments and lets go of a page that left', async () => {
    const browser = newBrowser();
    const events = await stream(browser.cookie);
    await events.until(() => events.comments >= 2, 'heartbeats');
    expect(chat.channel.subscriberCount(browser.sessionId)).toBe(1);
    events.close();
    await waitFor(() => chat.channel.subscriberCount(browser.sessionId) === 0, 'the page to be let go');
  });

  it('refuses a stream without the cookie', async () => {
    const response = await fetch(`${base}/chat/api/events`);
    expect(response.status).toBe(401);
    expect((await response.json()).error).toBe('session');
  });
});

describe('web chat event stream on shutdown', () => {
  it('ends open streams so the server can close', async () => {
    const chat = await startWebChat();
    const base = await chat.app.listen({ host: '127.0.0.1', port: 0 });
    const browser = newBrowser();
    const events = new EventReader(`${base}/chat/api/events`, { cookie: browser.cookie });
    await events.open();
    // The server's close waits for open connections: it returns only because the stream ended.
    await chat.close();
    await events.until(() => events.ended, 'the stream to end');
  });
});
