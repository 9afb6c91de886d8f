/**
 * Button data is signed so a forged or altered press changes nothing. The data must stay
 * short (Telegram allows 64 bytes), so fields are joined with "|" and followed by a
 * truncated HMAC-SHA256 tag (10 bytes, base64url).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const TAG_BYTES = 10;
const SEPARATOR = '|';

export class ButtonSigner {
  constructor(private readonly secret: string) {}

  private tag(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, TAG_BYTES);
  }

  /** Signs fields that contain no "|"; returns `f1|f2|…|tag`. */
  sign(fields: string[]): string {
    for (const field of fields) {
      if (field.includes(SEPARATOR)) throw new Error('button fields may not contain "|"');
    }
    const body = fields.join(SEPARATOR);
    return `${body}${SEPARATOR}${this.tag(body).toString('base64url')}`;
  }

  /** The fields of genuine data, or null for anything forged, altered or malformed. */
  verify(data: string): string[] | null {
    const cut = data.lastIndexOf(SEPARATOR);
    if (cut <= 0) return null;
    const body = data.slice(0, cut);
    let given: Buffer;
    try {
      given = Buffer.from(data.slice(cut + 1), 'base64url');
    } catch {
      return null;
    }
    const expected = this.tag(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return body.split(SEPARATOR);
  }
}
