/**
 * One staff member's browser on the console, over real HTTP, as test/support/staff-browser.ts
 * is over inject: keeps the cookies (path /staff), reads the CSRF token from the page's forms,
 * signs in with a one-time code (GET /staff/sign-in, POST /staff/sign-in), opens the inbox
 * (GET /staff) and keeps its event stream (GET /staff/events) open, noting when each `change`
 * arrives; and posts the ticket forms (`/staff/tickets/<number>/actions/<action>`).
 *
 * Each page talks from a loopback address of its own (127.x.y.z): the console limits sign-ins and
 * open streams per address, and 50 staff members are 50 phones, not one.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A `change` event as the console sends it (src/staff-web/shell/live-updates.ts). */
export interface LiveChange {
  kind: string;
  id: string;
}

/** Wall-clock milliseconds with a fraction: comparable with the app's process (same clock). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The n-th loopback address after 127.0.0.1 (the app's own): 127.1.0.1, 127.1.0.2, … */
export function loopbackAddress(n: number): string {
  const k = n + 1;
  return `127.1.${Math.floor(k / 250)}.${(k % 250) + 1}`;
}

/** The page each staff member keeps open: the inbox, the console's home (it watches every ticket). */
const INBOX_PATH = '/staff';

export class StaffPage {
  private readonly cookies = new Map<string, string>();
  private readonly connections: http.Agent;
  private csrf = '';
  private stream: http.ClientRequest | undefined;
  private streamEnded = false;
  /** Per record id: when each `change` naming it arrived (wall clock, ms), in order. */
  readonly received = new Map<string, number[]>();
  /** Change events of kinds other than tickets (binding requests): counted only. */
  otherChanges = 0;
  streamError: string | undefined;
  /** With `refreshOnChange`: how long each fetch of the page again took (ms), and those that failed. */
  readonly refreshMs: number[] = [];
  refreshFailures = 0;
  private refreshing = false;
  private refreshAgain = false;

  constructor(
    private readonly base: URL,
    readonly localAddress: string,
    readonly name: string,
    /** Fetch the inbox again on every ticket change, as the console's script does (one fetch at a time). */
    private readonly refreshOnChange = false,
  ) {
    this.connections = new http.Agent({ keepAlive: true, maxSockets: 4, localAddress });
  }

  get streamOpen(): boolean {
    return this.stream !== undefined && !this.streamEnded;
  }

  /** Signs in with `code`, opens the inbox and its event stream; resolves once the stream is answered. */
  async signIn(code: string): Promise<void> {
    await this.expect(this.request('GET', '/staff/sign-in'), 200, 'the sign-in page');
    const signedIn = await this.request('POST', '/staff/sign-in', { _csrf: this.csrf, name: this.name, code });
    if (signedIn.status !== 303 || !this.cookies.has('linli_staff')) throw new Error(`sign-in as ${this.name} answered ${signedIn.status}: ${signedIn.body.slice(0, 200)}`);
    await this.expect(this.request('GET', INBOX_PATH), 200, 'the inbox');
    await this.openStream();
  }

  /** Posts a ticket's action form (`text` for a reply, note or resolution); the answer's status and time. */
  async act(number: string, action: string, text?: string): Promise<{ status: number; ms: number; body: string }> {
    const began = performance.now();
    const fields: Record<string, string> = { _csrf: this.csrf };
    if (text !== undefined) fields['text'] = text;
    const answer = await this.request('POST', `/staff/tickets/${encodeURIComponent(number)}/actions/${action}`, fields);
    return { status: answer.status, ms: performance.now() - began, body: answer.body };
  }

  close(): void {
    this.stream?.destroy();
    this.stream = undefined;
    this.connections.destroy();
  }

  private async expect(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
    const got = await answer;
    if (got.status !== status) throw new Error(`${what} answered ${got.status} for ${this.name}: ${got.body.slice(0, 200)}`);
    return got;
  }

  private headers(): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = { 'accept-language': 'zh-CN', accept: 'text/html' };
    if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return headers;
  }

  private keepCookies(headers: http.IncomingHttpHeaders): void {
    for (const line of headers['set-cookie'] ?? []) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const gone = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Sends a request (a form when `form` is given) and reads the whole answer; no redirects followed. */
  request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers = this.headers();
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ agent: this.connections, host: this.base.hostname, port: this.base.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          this.keepCookies(res.headers);
          const text = Buffer.concat(chunks).toString('utf8');
          const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
          if (token) this.csrf = token;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  private onEvent(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event !== 'change' || data.length === 0) return;
    const at = wallNow();
    const change = JSON.parse(data.join('\n')) as LiveChange;
    if (change.kind !== 'ticket') {
      this.otherChanges += 1;
      return;
    }
    const times = this.received.get(change.id);
    if (times) times.push(at);
    else this.received.set(change.id, [at]);
    if (this.refreshOnChange) void this.refresh();
  }

  /** As staff.js: one fetch at a time; changes during it make one more fetch after it. */
  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      const began = performance.now();
      const answer = await this.request('GET', INBOX_PATH);
      if (answer.status === 200) this.refreshMs.push(performance.now() - began);
      else this.refreshFailures += 1;
    } catch {
      this.refreshFailures += 1;
    } finally {
      this.refreshing = false;
      if (this.refreshAgain && this.streamOpen) {
        this.refreshAgain = false;
        void this.refresh();
      }
    }
  }

  /** Opens `GET /staff/events` on a connection of its own, as EventSource does; resolves when answered. */
  private openStream(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: false,
          localAddress: this.localAddress,
          host: this.base.hostname,
          port: this.base.port,
          method: 'GET',
          path: '/staff/events',
          headers: { ...this.headers(), accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`the event stream answered ${res.statusCode} for ${this.name}`));
            return;
          }
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              this.onEvent(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
            }
          });
          res.on('end', () => {
            this.streamEnded = true;
            this.streamError ??= 'the event stream ended';
          });
          res.on('error', (error) => {
            this.streamEnded = true;
            this.streamError ??= error.message;
          });
          resolve();
        },
      );
      req.on('error', (error) => {
        this.streamEnded = true;
        this.streamError ??= error.message;
        reject(error);
      });
      req.end();
      this.stream = req;
    });
  }
}
