/**
 * The compose form sent with a file (`multipart/form-data`): read whole within the route's body
 * limit, then parsed by the platform's own form reader into the same shape the urlencoded form
 * has (a field once: its text; several times: a list) plus the file, if one was chosen. A body
 * that is not a form is a 400.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A file chosen on the form: the name the browser gave and its bytes (checked later, by its bytes). */
export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).bytes) && typeof (value as UploadedFile).name === 'string';
}

export function acceptMultipartForms(scope: FastifyInstance): void {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer) => {
    let form: FormData;
    try {
      form = await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': String(request.headers['content-type']) }, body: new Uint8Array(body) }).formData();
    } catch {
      throw Object.assign(new Error('not a form'), { statusCode: 400 });
    }
    const fields: Record<string, string | string[] | UploadedFile> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value !== 'string') {
        // A file input left empty still sends a part: no name, no bytes.
        if (value.size > 0) fields[key] = { name: value.name, bytes: Buffer.from(await value.arrayBuffer()) };
        continue;
      }
      const earlier = fields[key];
      if (earlier === undefined) fields[key] = value;
      else if (Array.isArray(earlier)) earlier.push(value);
      else if (typeof earlier === 'string') fields[key] = [earlier, value];
    }
    return fields;
  });
}
