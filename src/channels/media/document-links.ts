/**
 * The download address of a stored file, for a reader whose channel cannot carry the file itself
 * (`capabilities.documents` absent) and for the staff console: `/files/<signature>/<file>/<name>`,
 * signed (HMAC under the `document-link` key) over the file and the name it downloads under, so
 * neither can be changed or another file reached by walking names. The route answers anything
 * else — a wrong signature, a name that is not ours, a file gone — with a plain 404.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { attachmentDisposition, documentFileName, documentPath, mimeForDocumentFile, refForDocumentFile } from './document-files.js';

/** Makes a file's download address (absolute when the server's public address is known). */
export type DocumentLink = (ref: string, name: string) => string;

function signature(key: string, file: string, name: string): string {
  return createHmac('sha256', key).update(`${file}\n${name}`).digest('base64url').slice(0, 32);
}

/** The path of a stored file's download; undefined for a reference that is not one of ours. */
export function documentLinkPath(key: string, ref: string, name: string): string | undefined {
  const file = documentFileName(ref);
  return file ? `/files/${signature(key, file, name)}/${file}/${encodeURIComponent(name)}` : undefined;
}

/** The app's `DocumentLink`: `publicUrl` (PUBLIC_URL) before the path; a reference not ours gives ''. */
export function documentLinks(key: string, publicUrl: string | undefined): DocumentLink {
  const base = (publicUrl ?? '').replace(/\/+$/, '');
  return (ref, name) => {
    const path = documentLinkPath(key, ref, name);
    return path ? `${base}${path}` : '';
  };
}

/** `GET /files/:signature/:file/:name`: the file, under its name, to whoever has the address. */
export function registerDocumentLinkRoute(http: FastifyInstance, key: string, dataDir: string): void {
  http.get<{ Params: { signature: string; file: string; name: string } }>('/files/:signature/:file/:name', async (request, reply) => {
    const { file, name } = request.params;
    const given = Buffer.from(request.params.signature);
    const ref = refForDocumentFile(file);
    const expected = ref ? Buffer.from(signature(key, file, name)) : undefined;
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    const stream = createReadStream(documentPath(dataDir, file));
    const opened = await new Promise<boolean>((resolve) => {
      stream.once('open', () => resolve(true));
      stream.once('error', () => resolve(false));
    });
    if (!opened) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    return reply
      .type(mimeForDocumentFile(file))
      .header('content-disposition', attachmentDisposition(name))
      .header('cache-control', 'private, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .header('x-robots-tag', 'noindex')
      .send(stream);
  });
}
