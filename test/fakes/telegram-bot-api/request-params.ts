/**
 * Reads a Bot API call's parameters the ways Telegram accepts them: query string, JSON,
 * urlencoded form or multipart (uploads). Values from forms arrive as strings; JSON-valued
 * fields (reply_markup, allowed_updates) are parsed when they come as text.
 */
import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

export type Params = Record<string, unknown>;

export interface CallInput {
  params: Params;
  files: Map<string, UploadedFile>;
}

const JSON_FIELDS = ['reply_markup', 'allowed_updates', 'entities', 'caption_entities', 'reply_parameters'];

export async function readCallInput(request: IncomingMessage, url: URL, maxBytes: number): Promise<CallInput> {
  const params: Params = Object.fromEntries(url.searchParams.entries());
  const files = new Map<string, UploadedFile>();
  const body = await readBody(request, maxBytes);
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (body.length > 0) {
    if (type.startsWith('application/json')) {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object') Object.assign(params, parsed);
    } else if (type.startsWith('application/x-www-form-urlencoded')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries()));
    } else if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(body) }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') params[key] = value;
        else files.set(key, { name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
  }
  for (const field of JSON_FIELDS) {
    const value = params[field];
    if (typeof value === 'string') {
      try {
        params[field] = JSON.parse(value) as unknown;
      } catch {
        // Left as text: the method answers it is invalid.
      }
    }
  }
  return { params, files };
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A parameter as an integer, or undefined. */
export function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A parameter as text, or undefined. */
export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
