/**
 * One secret (LINLI_SECRET) signs several kinds of data. Each use gets its own key derived from
 * it, so a value signed for one purpose (a button) is never valid for another (a cookie).
 */
import { createHmac } from 'node:crypto';

export type KeyPurpose = 'web-chat-cookie' | 'staff-login-code' | 'staff-cookie' | 'staff-origin' | 'meeting-ics' | 'meeting-ballot' | 'document-link';

export function deriveKey(secret: string, purpose: KeyPurpose): string {
  return createHmac('sha256', secret).update(`linli/${purpose}/v1`).digest('base64url');
}
