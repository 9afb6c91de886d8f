/**
 * A binding code as a QR code, for the slip handed to a household: an SVG made on the server (no
 * script, no image request), marked as decoration because the code is printed beside it as text.
 */
/** `text` as an SVG QR code, for `trustedHtml`. The library is loaded on the first code issued, not at start. */
export async function qrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  // The code beside it says the same to a screen reader; the picture is for the camera.
  return svg.replace('<svg ', '<svg class="people-qr" aria-hidden="true" focusable="false" ');
}
