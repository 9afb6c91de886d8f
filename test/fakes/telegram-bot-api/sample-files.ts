/**
 * Bytes for files people "send": a JPEG-shaped blob (right magic bytes, given size) is enough
 * for the service, which checks the type by the first bytes and never decodes the image.
 */
import { randomBytes } from 'node:crypto';

/** A JPEG-looking file of exactly `size` bytes (at least 6). */
export function fakeJpeg(size = 2048): Buffer {
  const bytes = randomBytes(Math.max(6, size));
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  bytes.set([0xff, 0xd9], bytes.length - 2);
  return bytes;
}

/** Bytes that are not an image (for a "photo" that is something else). */
export function notAnImage(size = 512): Buffer {
  return Buffer.alloc(size, 0x41);
}
