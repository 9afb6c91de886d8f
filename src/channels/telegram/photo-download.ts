/**
 * Fetches a photo a person sent (getFile, then the file URL) and stores it like every other
 * channel's photos (../media/photo-files.ts). The size limit holds even when Telegram did not
 * say the size; the type is checked by the bytes. The file URL carries the bot token: it is
 * never logged or put in an error message.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Telegram } from 'telegraf';
import { sniffPhotoMime, storePhoto } from '../media/photo-files.js';
import { errorName } from './error-name.js';

export interface StoredPhoto {
  ref: string;
  mime: string;
  bytes: number;
}

/** Why a photo was not stored: `tooLarge` and `notPhoto` are final, `failed` may work later. */
export class PhotoDownloadError extends Error {
  constructor(
    readonly reason: 'tooLarge' | 'notPhoto' | 'failed',
    /** Safe to log: sizes, statuses and error codes only. */
    readonly detail: string,
  ) {
    super(`telegram photo ${reason}: ${detail}`);
    this.name = 'PhotoDownloadError';
  }
}

export interface DownloadOptions {
  dataDir: string;
  maxBytes: number;
  timeoutMs: number;
}

export async function downloadPhoto(telegram: Telegram, fileId: string, options: DownloadOptions): Promise<StoredPhoto> {
  let bytes: Uint8Array;
  try {
    const file = await telegram.callApi('getFile', { file_id: fileId }, { signal: timeoutSignal(options.timeoutMs) });
    if (file.file_size !== undefined && file.file_size > options.maxBytes) {
      throw new PhotoDownloadError('tooLarge', `${file.file_size} bytes`);
    }
    const link = await telegram.getFileLink(file);
    bytes = link.protocol === 'file:' ? await readLocalFile(link.pathname, options.maxBytes) : await fetchLimited(link, options);
  } catch (error) {
    if (error instanceof PhotoDownloadError) throw error;
    throw new PhotoDownloadError('failed', errorName(error));
  }
  const mime = sniffPhotoMime(bytes);
  if (!mime) throw new PhotoDownloadError('notPhoto', 'not JPEG, PNG or WebP');
  const ref = await storePhoto(options.dataDir, bytes, mime);
  return { ref, mime, bytes: bytes.length };
}

/** A self-hosted Bot API server in `--local` mode gives absolute paths on its own disk. */
async function readLocalFile(path: string, maxBytes: number): Promise<Uint8Array> {
  if ((await stat(path)).size > maxBytes) throw new PhotoDownloadError('tooLarge', 'local file');
  return readFile(path);
}

async function fetchLimited(link: URL, options: DownloadOptions): Promise<Uint8Array> {
  const response = await fetch(link, { signal: AbortSignal.timeout(options.timeoutMs) });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new PhotoDownloadError('failed', `file download answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body.cancel();
    throw new PhotoDownloadError('tooLarge', `${declared} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > options.maxBytes) throw new PhotoDownloadError('tooLarge', `over ${options.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** telegraf's client types its own AbortSignal; Node's is what it actually checks for. */
function timeoutSignal(ms: number): never {
  return AbortSignal.timeout(ms) as never;
}
