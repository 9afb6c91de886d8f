/**
 * Files Linli sends as documents (a notice's PDF or spreadsheet, a meeting's .ics): the type is
 * read from the bytes (never from the name or a claimed Content-Type), and the file is stored
 * owner-only under `<dataDir>/files/` with a random name — 128 random bits, so the name is not
 * guessed. The stored reference is `files/<file>`; an outbound message carries the reference and
 * the name people see (`OutboundMessage.document`), never the bytes, so a send after a restart
 * reads the same file again.
 */
import { stat } from 'node:fs/promises';
import { sniffPhotoMime } from './photo-files.js';
import { storedFilesFolder } from './stored-files.js';

/** The kinds a person may attach (`ATTACHABLE_MIMES`), and the calendar files Linli writes itself. */
export type DocumentMime =
  | 'application/pdf'
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'image/jpeg'
  | 'image/png'
  | 'image/webp'
  | 'text/calendar';

const EXTENSIONS: Record<DocumentMime, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'text/calendar': 'ics',
};

/** What staff may attach to a notice: PDF, Excel and Word (the Office Open formats), photos. */
export const ATTACHABLE_MIMES: readonly DocumentMime[] = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'image/jpeg',
  'image/png',
  'image/webp',
];

/** What `storeDocument` produces; anything else is not one of our files and is neither sent nor served. */
const files = storedFilesFolder('files', Object.values(EXTENSIONS));

/** The longest name shown for a file, in characters (the extension included). */
export const MAX_DOCUMENT_NAME_LENGTH = 80;

/**
 * Recognises the attachable kinds by their bytes: PDF by `%PDF-`, an Office Open file by the ZIP
 * signature and the part every such file has (`word/…` or `xl/…`, named in the archive's
 * headers), photos as the photo intake does. undefined for anything else (an old .doc, a ZIP of
 * something else, a script renamed .pdf).
 */
export function sniffDocumentMime(bytes: Uint8Array): DocumentMime | undefined {
  const starts = (...expected: number[]) => bytes.length >= expected.length && expected.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return officeKind(bytes);
  return sniffPhotoMime(bytes);
}

function officeKind(bytes: Uint8Array): DocumentMime | undefined {
  // Entry names are stored as plain bytes in the local headers and the central directory.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.includes('[Content_Types].xml')) return undefined;
  if (text.includes('word/document.xml')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (text.includes('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return undefined;
}

/** Writes the file under a fresh name; returns its reference. */
export function storeDocument(dataDir: string, bytes: Uint8Array, mime: DocumentMime): Promise<string> {
  return files.store(dataDir, bytes, EXTENSIONS[mime]);
}

/** The file name inside `files/` for a reference, if it is one of ours. */
export function documentFileName(ref: string): string | undefined {
  return files.fileOf(ref);
}

/** The reference for a file name from a URL, if the name is one `storeDocument` could produce. */
export function refForDocumentFile(file: string): string | undefined {
  return files.refFor(file);
}

/** Deletes a stored file; false when the reference is not one of ours or the file is gone. */
export function deleteDocument(dataDir: string, ref: string): Promise<boolean> {
  return files.remove(dataDir, ref);
}

/** Absolute path of a checked file name. */
export function documentPath(dataDir: string, file: string): string {
  return files.pathOf(dataDir, file);
}

/** Content-Type of a stored file, by the extension `storeDocument` gave it from its bytes. */
export function mimeForDocumentFile(file: string): DocumentMime {
  const extension = file.slice(file.lastIndexOf('.') + 1);
  const found = (Object.entries(EXTENSIONS) as [DocumentMime, string][]).find(([, ext]) => ext === extension);
  return found ? found[0] : 'application/pdf';
}

/** The size of a stored file in bytes (undefined when the reference is not ours or the file is gone). */
export async function documentSize(dataDir: string, ref: string): Promise<number | undefined> {
  const file = documentFileName(ref);
  if (!file) return undefined;
  return stat(documentPath(dataDir, file)).then(
    (info) => info.size,
    () => undefined,
  );
}

/**
 * The name people see for a file: what the sender called it, without folders, control
 * characters or characters file systems refuse, at most `MAX_DOCUMENT_NAME_LENGTH` characters,
 * ending in the extension of what the bytes are (a `.exe` renamed `.pdf` was refused already; a
 * PDF called `通知` becomes `通知.pdf`). `fallback` (without extension) when nothing is left.
 */
export function documentDisplayName(given: string | undefined, mime: DocumentMime, fallback: string): string {
  const extension = EXTENSIONS[mime];
  // A lone surrogate (a broken name from a platform) could not be put in a link or a header.
  const wellFormed = (given ?? '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  const base = wellFormed.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let stem = base.replace(/[\u0000-\u001f\u007f"*:<>?|]/g, '').trim();
  const dot = stem.lastIndexOf('.');
  if (dot > 0) stem = stem.slice(0, dot);
  stem = stem.replace(/^\.+/, '').trim();
  if (stem === '') stem = fallback;
  const room = MAX_DOCUMENT_NAME_LENGTH - extension.length - 1;
  return `${[...stem].slice(0, room).join('')}.${extension}`;
}

/** The extension a stored kind is written with. */
export function documentExtension(mime: DocumentMime): string {
  return EXTENSIONS[mime];
}

/**
 * A Content-Disposition that downloads the file under its name: an ASCII fallback and the
 * UTF-8 name (RFC 6266 / 5987), so a Chinese name survives in every browser.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
