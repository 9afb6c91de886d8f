/**
 * The one way a file a person sent (a document in chat, a file on the console's form) is taken
 * in: the size limit (on a size the platform announces, then while reading, so a huge file is
 * never held whole), the type read from the bytes — PDF, Word and Excel (Office Open), photos
 * (`ATTACHABLE_MIMES`); never the name or the type the sender claims — and the file stored
 * owner-only (`document-files.ts`) under the name the sender gave it, made safe.
 */
import { ATTACHABLE_MIMES, documentDisplayName, sniffDocumentMime, storeDocument, type DocumentMime } from './document-files.js';

/**
 * Why a file was not taken. `too_large`: over the limit; `not_allowed`: not a PDF, Word, Excel
 * file or photo by its bytes; `download_failed`: the platform would not give us the file.
 */
export type DocumentRefusal = 'too_large' | 'not_allowed' | 'download_failed';

/** The largest file taken in: 20 MB (also the most a Telegram bot may download). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export interface TakenDocument {
  /** `files/<file>`. */
  ref: string;
  mime: DocumentMime;
  bytes: number;
  /** The name people see: the sender's, made safe, with the extension of what it is. */
  name: string;
}

export type DocumentIntake =
  | { ok: true; document: TakenDocument }
  /** `detail` is safe to log: sizes and error names only, never a name or content. */
  | { ok: false; refusal: DocumentRefusal; detail: string };

export interface DocumentIntakeOptions {
  dataDir: string;
  maxBytes: number;
  /** The name the sender gave the file (made safe before it is shown). */
  name?: string | undefined;
  /** The name (without extension) when the sender gave none that is left after cleaning. */
  fallbackName: string;
}

function refused(refusal: DocumentRefusal, detail: string): DocumentIntake & { ok: false } {
  return { ok: false, refusal, detail };
}

/** The checks alone, storing nothing. */
export function inspectDocumentBytes(bytes: Uint8Array, maxBytes: number): { ok: true; mime: DocumentMime } | (DocumentIntake & { ok: false }) {
  if (bytes.length > maxBytes) return refused('too_large', `${bytes.length} bytes`);
  if (bytes.length === 0) return refused('not_allowed', 'empty');
  const mime = sniffDocumentMime(bytes);
  if (!mime || !ATTACHABLE_MIMES.includes(mime)) return refused('not_allowed', 'not PDF, Office Open or a photo');
  return { ok: true, mime };
}

/** A file whose bytes are all here: checked, then stored. */
export async function takeDocumentBytes(bytes: Uint8Array, options: DocumentIntakeOptions): Promise<DocumentIntake> {
  const inspected = inspectDocumentBytes(bytes, options.maxBytes);
  if (!inspected.ok) return inspected;
  const ref = await storeDocument(options.dataDir, bytes, inspected.mime);
  return { ok: true, document: { ref, mime: inspected.mime, bytes: bytes.length, name: documentDisplayName(options.name, inspected.mime, options.fallbackName) } };
}

/**
 * A file arriving as a stream (a download). Over an announced size nothing is read (`stop`
 * frees the source); reading stops at the first byte over the limit; a stream that fails
 * part-way is `download_failed`.
 */
export async function takeDocumentStream(
  chunks: AsyncIterable<Uint8Array>,
  options: DocumentIntakeOptions & { announcedBytes?: number | undefined; stop?: () => void },
): Promise<DocumentIntake> {
  if (options.announcedBytes !== undefined && options.announcedBytes > options.maxBytes) {
    options.stop?.();
    return refused('too_large', `${options.announcedBytes} bytes announced`);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.length;
      if (total > options.maxBytes) return refused('too_large', `over ${options.maxBytes} bytes`);
      parts.push(chunk);
    }
  } catch (error) {
    return refused('download_failed', error instanceof Error ? `read: ${error.name}` : 'read failed');
  }
  return takeDocumentBytes(Buffer.concat(parts, total), options);
}
