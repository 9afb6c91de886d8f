/**
 * The one way a photo a person sent is taken in, whatever the channel: the size limit (checked
 * on a size the platform announces, then again while reading, so a huge file is never held in
 * memory whole), the type read from the bytes (never the name or the type the sender claims),
 * and the file stored owner-only (`photo-files.ts`). Every channel reports the outcome as a
 * `PhotoIntake`, and a refusal with one of the `PhotoRefusal` words, which the router answers
 * the same way on every channel.
 */
import { type PhotoMime, sniffPhotoMime, storePhoto } from './photo-files.js';

/**
 * Why a photo was not taken. `too_large`: over the limit; `not_an_image`: the bytes are not
 * JPEG, PNG or WebP (a GIF, a PDF sent as a photo, a broken file); `download_failed`: the
 * platform would not give us the file (sending it again may work).
 */
export type PhotoRefusal = 'too_large' | 'not_an_image' | 'download_failed';

export const PHOTO_REFUSALS: readonly PhotoRefusal[] = ['too_large', 'not_an_image', 'download_failed'];

export interface TakenPhoto {
  /** `uploads/<file>`: the same kind of reference on every channel. */
  ref: string;
  mime: PhotoMime;
  bytes: number;
}

export type PhotoIntake =
  | { ok: true; photo: TakenPhoto }
  /** `detail` is safe to log: sizes, statuses and error names only, never a URL or content. */
  | { ok: false; refusal: PhotoRefusal; detail: string };

export interface PhotoIntakeOptions {
  /** Photos are stored under `<dataDir>/uploads/`. */
  dataDir: string;
  maxBytes: number;
}

export function refused(refusal: PhotoRefusal, detail: string): PhotoIntake & { ok: false } {
  return { ok: false, refusal, detail };
}

/**
 * The checks alone, storing nothing: for a channel that stores later, only if the message is
 * new (the web chat: a repeated upload of the same message must not leave a second file).
 */
export function inspectPhotoBytes(
  bytes: Uint8Array,
  maxBytes: number,
): { ok: true; mime: PhotoMime } | (PhotoIntake & { ok: false }) {
  if (bytes.length > maxBytes) return refused('too_large', `${bytes.length} bytes`);
  const mime = sniffPhotoMime(bytes);
  if (!mime) return refused('not_an_image', 'not JPEG, PNG or WebP');
  return { ok: true, mime };
}

/** A photo whose bytes are all here: checked, then stored. */
export async function takePhotoBytes(bytes: Uint8Array, options: PhotoIntakeOptions): Promise<PhotoIntake> {
  const inspected = inspectPhotoBytes(bytes, options.maxBytes);
  if (!inspected.ok) return inspected;
  const ref = await storePhoto(options.dataDir, bytes, inspected.mime);
  return { ok: true, photo: { ref, mime: inspected.mime, bytes: bytes.length } };
}

/**
 * A photo arriving as a stream (a download). `announcedBytes` is the size the platform gave
 * beforehand, if any: over the limit, nothing is read and `stop` frees the source. Reading
 * stops at the first byte over the limit (leaving the loop early closes the stream). A stream
 * that fails part-way is `download_failed`.
 */
export async function takePhotoStream(
  chunks: AsyncIterable<Uint8Array>,
  options: PhotoIntakeOptions & { announcedBytes?: number | undefined; stop?: () => void },
): Promise<PhotoIntake> {
  if (options.announcedBytes !== undefined && options.announcedBytes > options.maxBytes) {
    options.stop?.();
    return refused('too_large', `${options.announcedBytes} bytes announced`);
  }
  const read = await readWithin(chunks, options.maxBytes);
  if (!read.ok) return read;
  return takePhotoBytes(read.bytes, options);
}

async function readWithin(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | (PhotoIntake & { ok: false })> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.length;
      if (total > maxBytes) return refused('too_large', `over ${maxBytes} bytes`);
      parts.push(chunk);
    }
  } catch (error) {
    return refused('download_failed', error instanceof Error ? `read: ${error.name}` : 'read failed');
  }
  return { ok: true, bytes: Buffer.concat(parts, total) };
}
