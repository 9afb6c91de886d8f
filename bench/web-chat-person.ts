/**
 * One person at a web chat page, as a browser would be: gets the identity cookie from
 * `GET /chat`, keeps the page's event stream (`/chat/api/events`) open, and sends a message or
 * presses a button with `POST /chat/api/messages`. A step is timed from sending until the
 * prompt that ends it (a reply with choices) arrives on the stream — which happens when the
 * delivery worker has stored it in the web chat's table.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** A row as the page receives it (see src/channels/web/chat-rows.ts). */
export interface ChatRow {
  seq: string;
  direction: 'in' | 'out';
  kind: string;
  text?: string;
  choices?: { label: string; data: string }[];
}

export interface StepTiming {
  /** Sending → the POST answered (the router, engine and outbox have done their part). */
  acceptedMs: number;
  /** Sending → the prompt that ends the step arrived (stored by delivery, pushed to the page). */
  deliveredMs: number;
  /** Replies that arrived for this step, the prompt included. */
  replies: number;
  /** When the prompt arrived (performance.now()). */
  deliveredAt: number;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Waiter {
  resolve(row: ChatRow, at: number): void;
  reject(error: Error): void;
}

/** Sends one request and reads the whole answer. */
function request(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  options: { cookie?: string; json?: unknown } = {},
): Promise<Response> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: http.OutgoingHttpHeaders = { 'accept-language': 'zh-CN' };
  if (options.cookie) headers['cookie'] = options.cookie;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class WebChatPerson {
  private waiter: Waiter | undefined;
  private repliesSinceSend = 0;
  private streamError: Error | undefined;
  /** The newest prompt (reply with choices) this person has seen. */
  lastPrompt: ChatRow | undefined;

  private constructor(
    private readonly agent: http.Agent,
    private readonly base: URL,
    private readonly cookie: string,
    private stream: http.ClientRequest | undefined,
  ) {}

  /** Loads the page (for the cookie) and opens the event stream. */
  static async open(baseUrl: string, agent: http.Agent): Promise<WebChatPerson> {
    const base = new URL(baseUrl);
    const page = await request(agent, base, 'GET', '/chat');
    const setCookie = page.headers['set-cookie']?.[0];
    if (page.status !== 200 || !setCookie) throw new Error(`GET /chat answered ${page.status} without a cookie`);
    const person = new WebChatPerson(agent, base, setCookie.split(';')[0]!, undefined);
    await person.openStream();
    return person;
  }

  /** Opens the conversation (the bot greets first); resolves when the greeting's prompt is stored. */
  start(timeoutMs: number): Promise<StepTiming> {
    return this.step(timeoutMs, () => request(this.agent, this.base, 'POST', '/chat/api/start', { cookie: this.cookie }));
  }

  /** Types a text. */
  say(text: string, timeoutMs: number): Promise<StepTiming> {
    return this.post({ id: randomUUID(), text }, timeoutMs);
  }

  /** Presses the button of the last prompt whose label contains `label`. */
  press(label: string, timeoutMs: number): Promise<StepTiming> {
    const choice = this.lastPrompt?.choices?.find((c) => c.label.includes(label));
    if (!choice) throw new Error(`no button "${label}" in the last prompt`);
    return this.post({ id: randomUUID(), choice: { data: choice.data, label: choice.label } }, timeoutMs);
  }

  close(): void {
    this.stream?.destroy();
    this.stream = undefined;
  }

  private post(body: unknown, timeoutMs: number): Promise<StepTiming> {
    return this.step(timeoutMs, () => request(this.agent, this.base, 'POST', '/chat/api/messages', { cookie: this.cookie, json: body }));
  }

  /** Sends, and waits for both the answer to the request and the prompt on the stream. */
  private async step(timeoutMs: number, send: () => Promise<Response>): Promise<StepTiming> {
    if (this.streamError) throw this.streamError;
    if (this.waiter) throw new Error('a step is already in progress');
    this.repliesSinceSend = 0;
    const began = performance.now();
    let timer: NodeJS.Timeout | undefined;
    // Waiting starts before sending: the reply may be stored before the request is answered.
    const prompt = new Promise<{ row: ChatRow; at: number }>((resolve, reject) => {
      this.waiter = { resolve: (row, at) => resolve({ row, at }), reject };
      timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const accepted = send().then((response) => {
        if (response.status !== 200) throw new Error(`the server answered ${response.status}: ${response.body.slice(0, 200)}`);
        return performance.now();
      });
      const [acceptedAt, delivered] = await Promise.all([accepted, prompt]);
      this.lastPrompt = delivered.row;
      return {
        acceptedMs: acceptedAt - began,
        deliveredMs: delivered.at - began,
        replies: this.repliesSinceSend,
        deliveredAt: delivered.at,
      };
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
    }
  }

  private onRow(row: ChatRow): void {
    if (row.direction !== 'out') return;
    this.repliesSinceSend += 1;
    if (row.choices && row.choices.length > 0) this.waiter?.resolve(row, performance.now());
  }

  private fail(error: Error): void {
    this.streamError ??= error;
    this.waiter?.reject(error);
  }

  /** Resolves once the server has answered the stream request (it subscribes before answering). */
  private openStream(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          // Its own connection: a stream holds it for the whole run.
          agent: false,
          host: this.base.hostname,
          port: this.base.port,
          method: 'GET',
          path: '/chat/api/events?after=0',
          headers: { accept: 'text/event-stream', cookie: this.cookie },
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`the event stream answered ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const event = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = event
                .split('\n')
                .filter((line) => line.startsWith('data: '))
                .map((line) => line.slice(6))
                .join('\n');
              if (data) this.onRow(JSON.parse(data) as ChatRow);
            }
          });
          res.on('end', () => this.fail(new Error('the event stream ended')));
          res.on('error', (error) => this.fail(error));
          resolve();
        },
      );
      req.on('error', (error) => {
        reject(error);
        this.fail(error);
      });
      req.end();
      this.stream = req;
    });
  }
}
