/**
 * A staff member's browser against the app's staff console, through fastify's inject (no port):
 * keeps cookies like a browser (path /staff), reads the CSRF token from the last page's forms and
 * sends forms as a browser does. `signIn` goes through the real sign-in: a code issued as
 * `linli staff login` issues it, then the sign-in form.
 */
import type { App } from '../../src/app.js';
import { issueLoginCode } from '../../src/staff-web/auth/login-codes.js';
import { deriveKey } from '../../src/security/derived-key.js';
import { resolveSecret } from '../../src/security/secret.js';

export interface PageResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  location?: string;
}

export class StaffBrowser {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(
    private readonly app: App,
    /** The browser's network address (limits count per address). */
    readonly address = '203.0.113.7',
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get csrfToken(): string {
    return this.csrf;
  }

  has(cookie: string): boolean {
    return this.cookies.has(cookie);
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.request('GET', url, undefined, headers);
  }

  /** Posts a form; `_csrf` is the page's token unless the fields say otherwise (or `null`: none). */
  async post(url: string, fields: Record<string, string | null> = {}): Promise<PageResponse> {
    const form = new URLSearchParams();
    if (!('_csrf' in fields)) form.set('_csrf', this.csrf);
    for (const [name, value] of Object.entries(fields)) if (value !== null) form.set(name, value);
    return this.request('POST', url, form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  /**
   * Posts a form with files (multipart/form-data), as a browser sends a form with a file input;
   * repeated fields as a multi-select sends them. `_csrf` is the page's token unless given.
   */
  async postMultipart(url: string, fields: Record<string, string | string[]>, files: Record<string, { name: string; bytes: Buffer; type?: string }> = {}): Promise<PageResponse> {
    const form = new FormData();
    if (!('_csrf' in fields)) form.set('_csrf', this.csrf);
    for (const [name, value] of Object.entries(fields)) for (const each of Array.isArray(value) ? value : [value]) form.append(name, each);
    for (const [name, file] of Object.entries(files)) form.append(name, new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
    const encoded = new Request('http://form.invalid/', { method: 'POST', body: form });
    const body = Buffer.from(await encoded.arrayBuffer());
    return this.request('POST', url, body, { 'content-type': encoded.headers.get('content-type')! });
  }

  async request(method: 'GET' | 'POST', url: string, payload?: string | Buffer, headers: Record<string, string> = {}): Promise<PageResponse> {
    const response = await this.app.http.inject({
      method,
      url,
      remoteAddress: this.address,
      headers: { ...(this.cookies.size > 0 ? { cookie: this.cookieHeader } : {}), 'accept-language': 'zh-CN', ...headers },
      ...(payload !== undefined ? { payload } : {}),
    });
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    const location = response.headers['location'];
    return { status: response.statusCode, body: response.body, headers: response.headers, ...(typeof location === 'string' ? { location } : {}) };
  }

  /** Signs in as the staff member named `name` with a code issued for them (as the command line does). */
  async signIn(name: string, residentId: string): Promise<void> {
    const key = deriveKey(resolveSecret(this.app.config.LINLI_SECRET, this.app.config.DATA_DIR), 'staff-login-code');
    const { code } = await this.app.database.prisma.$transaction((tx) =>
      issueLoginCode(tx, { communityId: this.app.communityId, residentId, via: 'cli', key, now: new Date() }),
    );
    await this.get('/staff/sign-in');
    const response = await this.post('/staff/sign-in', { name, code });
    if (response.status !== 303) throw new Error(`sign-in failed: ${response.status} ${response.body.slice(0, 200)}`);
  }
}
