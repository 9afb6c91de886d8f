/**
 * Saves a photo a person sent on WeChat under `<dataDir>/uploads/`, like web chat uploads: the
 * type is read from the first bytes (not the file name WeChat gives), and reading stops as soon
 * as the file is larger than allowed, so a huge file is never held in memory whole.
 */
import type { FileBoxInterface } from 'file-box';
import { sniffPhotoMime, storePhoto } from '../media/photo-files.js';

export type SavedPhoto =
  | { ok: true; photo: { ref: string; mime: string; bytes: number } }
  /** too-large: over the limit; not-a-photo: not JPEG, PNG or WebP (a GIF, a broken file). */
  | { ok: false; reason: 'too-large' | 'not-a-photo' };

export async function savePhoto(box: FileBoxInterface, dataDir: string, maxBytes: number): Promise<SavedPhoto> {
  // A size the puppet already knows spares the download.
  if (box.size > maxBytes) return { ok: false, reason: 'too-large' };
  const stream = await box.toStream();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    if (total > maxBytes) {
      stream.destroy();
      return { ok: false, reason: 'too-large' };
    }
    chunks.push(buffer);
  }
  const bytes = Buffer.concat(chunks, total);
  const mime = sniffPhotoMime(bytes);
  if (!mime) return { ok: false, reason: 'not-a-photo' };
  const ref = await storePhoto(dataDir, bytes, mime);
  return { ok: true, photo: { ref, mime, bytes: total } };
}
