/**
 * What an outside review threw at a running instance, as requests a test can send: raw HTTP
 * over a socket (so a 12 MB body can be cut short by the server without losing its answer),
 * from a chosen loopback source address (127.0.0.2 is a second client as far as the server can
 * tell).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The client's address (default 127.0.0.1). */
  from?: string;
}

/**
 * Sends one request over a plain socket and resolves with the answer. The server may answer
 * before the body is all sent and close the connection (a refusal of a 12 MB body should): the
 * answer counts, and the broken upload is no error — an HTTP client library would report the
 * broken pipe and drop the answer.
 */
export function send(raw: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = raw.body === undefined ? undefined : Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(raw.body);
    const headers: Record<string, string> = {
      host: `127.0.0.1:${raw.port}`,
      ...(body ? { 'content-length': String(body.length) } : {}),
      ...raw.headers,
    };
    const head = `${raw.method} ${raw.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    const socket = connect({ host: '127.0.0.1', port: raw.port, localAddress: raw.from ?? '127.0.0.1' });
    // The connection is kept alive, so a server that refuses early reads and drops the rest of
    // the body instead of closing on unread data (which resets the connection and can lose the
    // answer on its way); the answer is taken as soon as it is complete.
    const received: Buffer[] = [];
    let settled = false;
    const settle = (closing: boolean) => {
      if (settled) return;
      const answer = parseAnswer(Buffer.concat(received), closing);
      if (answer) {
        settled = true;
        socket.destroy();
        resolve(answer);
      } else if (closing) {
        settled = true;
        reject(new Error(`no answer to ${raw.method} ${raw.path}`));
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      settle(false);
    });
    socket.on('error', () => undefined); // EPIPE / ECONNRESET once the server has answered
    socket.on('close', () => settle(true));
    socket.on('connect', () => {
      socket.write(head);
      if (!body) return;
      // In pieces, so a server that has answered and closed is noticed early.
      const piece = 64 * 1024;
      let offset = 0;
      const writeMore = () => {
        while (offset < body.length && !socket.destroyed) {
          const chunk = body.subarray(offset, offset + piece);
          offset += piece;
          if (!socket.write(chunk)) return void socket.once('drain', writeMore);
        }
      };
      writeMore();
    });
  });
}

/**
 * Status, headers and body of an HTTP/1.1 answer (Content-Length, chunked, or up to the close);
 * null while it is incomplete.
 */
function parseAnswer(bytes: Buffer, closed: boolean): Answer | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) return null;
  const headers: Record<string, string | string[] | undefined> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const known = headers[name];
    headers[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  let rest = bytes.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) return closed ? { status, headers, body: Buffer.concat(parts).toString('utf8') } : null;
      const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (!size) break;
      if (rest.length < lineEnd + 2 + size + 2 && !closed) return null;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    rest = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length && !closed) return null;
    rest = rest.subarray(0, length);
  } else if (!closed) {
    return null;
  }
  return { status, headers, body: rest.toString('utf8') };
}

/** Resident memory of a process, in bytes (Linux). */
export function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(/(\d+)\s*kB/.exec(line)![1]) * 1024;
}
