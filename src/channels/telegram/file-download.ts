/**
 * Fetches a file a person sent (getFile, then the file URL) and takes it in through the one
 * intake for its kind: a photo through the photo intake (../media/photo-intake.ts), a document
 * through the document intake (../media/document-intake.ts). The size limit holds even when
 * Telegram did not say the size. The file URL carries the bot token: it is never logged or put
 * in a refusal's detail.
 */
import { open, stat } from 'node:fs/promises';
import type { Telegram } from 'telegraf';
import { type DocumentIntake, type DocumentIntakeOptions, takeDocumentStream } from '../media/document-intake.js';
import { type PhotoIntake, type PhotoIntakeOptions, refused, takePhotoStream } from '../media/photo-intake.js';
import { errorName } from './error-name.js';

export interface DownloadOptions extends PhotoIntakeOptions {
  timeoutMs: number;
}

/** How one kind of file is taken in: from a stream, or refused before reading. */
interface Intake<R> {
  maxBytes: number;
  timeoutMs: number;
  take(chunks: AsyncIterable<Uint8Array>, announcedBytes: number | undefined, stop?: () => void): Promise<R>;
  refuse(reason: 'too_large' | 'download_failed', detail: string): R;
}

export async function downloadPhoto(telegram: Telegram, fileId: string, options: DownloadOptions): Promise<PhotoIntake> {
  return download(telegram, fileId, {
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    take: (chunks, announcedBytes, stop) => takePhotoStream(chunks, { ...options, announcedBytes, ...(stop ? { stop } : {}) }),
    refuse: refused,
  });
}

export async function downloadDocument(telegram: Telegram, fileId: string, options: DocumentIntakeOptions & { timeoutMs: number }): Promise<DocumentIntake> {
  return download(telegram, fileId, {
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    take: (chunks, announcedBytes, stop) => takeDocumentStream(chunks, { ...options, announcedBytes, ...(stop ? { stop } : {}) }),
    refuse: (refusal, detail) => ({ ok: false, refusal, detail }),
  });
}

async function download<R>(telegram: Telegram, fileId: string, intake: Intake<R>): Promise<R> {
  try {
    const file = await telegram.callApi('getFile', { file_id: fileId }, { signal: timeoutSignal(intake.timeoutMs) });
    if (file.file_size !== undefined && file.file_size > intake.maxBytes) return intake.refuse('too_large', `${file.file_size} bytes`);
    const link = await telegram.getFileLink(file);
    return link.protocol === 'file:' ? await takeLocalFile(link.pathname, intake) : await fetchFile(link, intake);
  } catch (error) {
    return intake.refuse('download_failed', errorName(error));
  }
}

/** A self-hosted Bot API server in `--local` mode gives absolute paths on its own disk. */
async function takeLocalFile<R>(path: string, intake: Intake<R>): Promise<R> {
  const announcedBytes = (await stat(path)).size;
  if (announcedBytes > intake.maxBytes) return intake.refuse('too_large', 'local file');
  const handle = await open(path);
  try {
    return await intake.take(handle.createReadStream({ autoClose: false }), announcedBytes);
  } finally {
    await handle.close();
  }
}

async function fetchFile<R>(link: URL, intake: Intake<R>): Promise<R> {
  const response = await fetch(link, { signal: AbortSignal.timeout(intake.timeoutMs) });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return intake.refuse('download_failed', `file download answered ${response.status}`);
  }
  const body = response.body;
  const declared = Number(response.headers.get('content-length') ?? NaN);
  return intake.take(body, Number.isFinite(declared) ? declared : undefined, () => void body.cancel().catch(() => undefined));
}

/** telegraf's client types its own AbortSignal; Node's is what it actually checks for. */
function timeoutSignal(ms: number): never {
  return AbortSignal.timeout(ms) as never;
}
