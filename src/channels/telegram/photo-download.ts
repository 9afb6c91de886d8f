/**
 * Fetches a photo a person sent (getFile, then the file URL) and takes it in through the one
 * photo intake (../media/photo-intake.ts). The size limit holds even when Telegram did not say
 * the size. The file URL carries the bot token: it is never logged or put in a refusal's detail.
 */
import { open, stat } from 'node:fs/promises';
import type { Telegram } from 'telegraf';
import { type PhotoIntake, type PhotoIntakeOptions, refused, takePhotoStream } from '../media/photo-intake.js';
import { errorName } from './error-name.js';

export interface DownloadOptions extends PhotoIntakeOptions {
  timeoutMs: number;
}

export async function downloadPhoto(telegram: Telegram, fileId: string, options: DownloadOptions): Promise<PhotoIntake> {
  try {
    const file = await telegram.callApi('getFile', { file_id: fileId }, { signal: timeoutSignal(options.timeoutMs) });
    if (file.file_size !== undefined && file.file_size > options.maxBytes) return refused('too_large', `${file.file_size} bytes`);
    const link = await telegram.getFileLink(file);
    return link.protocol === 'file:' ? await takeLocalFile(link.pathname, options) : await fetchPhoto(link, options);
  } catch (error) {
    return refused('download_failed', errorName(error));
  }
}

/** A self-hosted Bot API server in `--local` mode gives absolute paths on its own disk. */
async function takeLocalFile(path: string, options: DownloadOptions): Promise<PhotoIntake> {
  const announcedBytes = (await stat(path)).size;
  if (announcedBytes > options.maxBytes) return refused('too_large', 'local file');
  const handle = await open(path);
  try {
    return await takePhotoStream(handle.createReadStream({ autoClose: false }), { ...options, announcedBytes });
  } finally {
    await handle.close();
  }
}

async function fetchPhoto(link: URL, options: DownloadOptions): Promise<PhotoIntake> {
  const response = await fetch(link, { signal: AbortSignal.timeout(options.timeoutMs) });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return refused('download_failed', `file download answered ${response.status}`);
  }
  const body = response.body;
  const declared = Number(response.headers.get('content-length') ?? NaN);
  return takePhotoStream(body, {
    ...options,
    announcedBytes: Number.isFinite(declared) ? declared : undefined,
    stop: () => void body.cancel().catch(() => undefined),
  });
}

/** telegraf's client types its own AbortSignal; Node's is what it actually checks for. */
function timeoutSignal(ms: number): never {
  return AbortSignal.timeout(ms) as never;
}
