/**
 * What a person is told when their photo was not taken: one locale key per refusal, the same on
 * every channel (the router's answer on Telegram and WeChat, the web chat's upload error, the
 * web page's own check before uploading).
 */
import type { PhotoRefusal } from './photo-intake.js';

const ANSWER_KEYS: Record<PhotoRefusal, string> = {
  too_large: 'router.photo_refused.too_large',
  not_an_image: 'router.photo_refused.not_an_image',
  download_failed: 'router.photo_refused.download_failed',
};

export interface PhotoRefusalAnswer {
  key: string;
  vars: { max: string };
}

export function photoRefusalAnswer(reason: PhotoRefusal, maxBytes: number): PhotoRefusalAnswer {
  return { key: ANSWER_KEYS[reason], vars: { max: megabytes(maxBytes) } };
}

/** Megabytes for people: two significant digits below 10 (0.5, 7.5), whole numbers above. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return String(mb >= 10 ? Math.round(mb) : Number(mb.toPrecision(2)));
}
