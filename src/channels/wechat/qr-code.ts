/**
 * Renders the WeChat login QR code for the terminal and for the admin page, with the `qrcode`
 * package that wechaty already brings in (through file-box). It ships no type declarations, so
 * it is loaded with `require` and described by the small interface below (only what we call).
 */
import { createRequire } from 'node:module';

interface QrCodeLibrary {
  toString(text: string, options: { type: 'svg' | 'terminal' | 'utf8'; small?: boolean; margin?: number; errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): Promise<string>;
}

const require = createRequire(import.meta.url);
const qrcode = require('qrcode') as QrCodeLibrary;

/** The QR code as an SVG element (no XML prelude), scaled by the page's CSS. */
export async function qrCodeSvg(value: string): Promise<string> {
  const svg = await qrcode.toString(value, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return svg.replace(/^<\?xml[^>]*>\s*/, '').trim();
}

/** The QR code drawn with block characters, two rows per line, for a terminal. */
export function qrCodeForTerminal(value: string): Promise<string> {
  return qrcode.toString(value, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
}
