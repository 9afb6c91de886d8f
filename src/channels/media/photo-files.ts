/**
 * Photos people send on any channel (web chat uploads, Telegram downloads…): the type is taken
 * from the file's first bytes (never from the name or the Content-Type the sender claims) and
 * the file is stored under `<dataDir>/uploads/` with a random name. The stored reference is
 * `uploads/<file>`, the same on every channel.
 */
import { stat } from 'node:fs/promises';
import { storedFilesFolder } from './stored-files.js';

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

const EXTENSIONS: Record<PhotoMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** What `storePhoto` produces; anything else is not one of our uploads and is not served. */
const uploads = storedFilesFolder('uploads', Object.values(EXTENSIONS));

/** Recognises JPEG, PNG and WebP by their magic bytes; undefined for anything else. */
export function sniffPhotoMime(bytes: Uint8Array): PhotoMime | undefined {
  const starts = (offset: number, ...expected: number[]) =>
    bytes.length >= offset + expected.length && expected.every((b, i) => bytes[offset + i] === b);
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  // "RIFF" <size> "WEBP"
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

/** Writes the photo under a fresh name; returns its reference. */
export function storePhoto(dataDir: string, bytes: Uint8Array, mime: PhotoMime): Promise<string> {
  return uploads.store(dataDir, bytes, EXTENSIONS[mime]);
}

/** The file name inside `uploads/` for a reference, if it is one of ours. */
export function uploadFileName(ref: string): string | undefined {
  return uploads.fileOf(ref);
}

/** The reference for a file name from a URL, if the name is one `storePhoto` could produce. */
export function refForUploadFile(file: string): string | undefined {
  return uploads.refFor(file);
}

/** Absolute path of a checked upload file name. */
export function uploadPath(dataDir: string, file: string): string {
  return uploads.pathOf(dataDir, file);
}

/** Content-Type for a stored file name. */
export function mimeForUploadFile(file: string): PhotoMime {
  if (file.endsWith('.png')) return 'image/png';
  if (file.endsWith('.webp')) return 'image/webp';
  return 'image/jpeg';
}

/** Deletes a stored photo's file; false when the reference is not one of ours or the file is gone. */
export function deleteUpload(dataDir: string, ref: string): Promise<boolean> {
  return uploads.remove(dataDir, ref);
}

/** The size in bytes of a stored photo's file (0 when it is not one of ours or is gone). */
export async function uploadSize(dataDir: string, ref: string): Promise<number> {
  const file = uploadFileName(ref);
  if (!file) return 0;
  return stat(uploadPath(dataDir, file)).then(
    (info) => info.size,
    () => 0,
  );
}
