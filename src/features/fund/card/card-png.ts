/**
 * The card's SVG as a PNG, offline: @resvg/resvg-js (resvg, a Rust SVG renderer shipped as a
 * prebuilt binary inside its npm package — no browser, no network, no build step) draws the text
 * with the system's fonts, where Debian's fonts-noto-cjk gives the Chinese. Loaded on the first
 * card, not at start.
 */
import { CARD_FONT } from './card-svg.js';

export async function renderPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: CARD_FONT, sansSerifFamily: CARD_FONT },
    background: '#ffffff',
  });
  return Buffer.from(resvg.render().asPng());
}

/** `text` as a QR code's SVG (margin of four modules, as scanners expect; medium error correction). */
export async function qrCodeSvg(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(text, { type: 'svg', margin: 4, errorCorrectionLevel: 'M' });
}
