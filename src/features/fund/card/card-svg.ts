/**
 * The contact card (便民联系卡) as an SVG picture: title, the household, one QR code per way of
 * reaching the bot with its caption, the code to type, the team's numbers and the emergency line.
 * Pure: texts and QR pictures in, SVG text out (`card-png.ts` renders it).
 */

/** Card size in pixels: A6 proportions, sharp enough to print at about 240 dpi. */
export const CARD_WIDTH = 1000;
export const CARD_HEIGHT = 1414;
/** The font every text asks for: Debian's fonts-noto-cjk (see the Dockerfile and CI). */
export const CARD_FONT = 'Noto Sans CJK SC';

export interface CardQr {
  /** A QR code as the `qrcode` package writes it (an <svg> with a viewBox). */
  svg: string;
  caption: string;
}

export interface CardTexts {
  title: string;
  subtitle: string;
  household: string;
  qrs: readonly CardQr[];
  /** The code to type where scanning is not possible; null when none was issued. */
  code: string | null;
  phonesTitle: string;
  phones: readonly string[];
  footer: string;
}

export function cardSvg(texts: CardTexts): string {
  const parts: string[] = [
    `<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="#ffffff"/>`,
    `<rect x="20" y="20" width="${CARD_WIDTH - 40}" height="${CARD_HEIGHT - 40}" rx="28" fill="none" stroke="#b71c1c" stroke-width="6"/>`,
    `<rect x="20" y="20" width="${CARD_WIDTH - 40}" height="150" rx="28" fill="#b71c1c"/>`,
    text(CARD_WIDTH / 2, 125, texts.title, 76, { fill: '#ffffff', weight: 'bold' }),
    text(CARD_WIDTH / 2, 240, texts.subtitle, 38),
    text(CARD_WIDTH / 2, 300, texts.household, 34, { fill: '#444444' }),
  ];
  const size = texts.qrs.length > 1 ? 400 : 520;
  const gap = 60;
  const row = texts.qrs.length * size + (texts.qrs.length - 1) * gap;
  texts.qrs.forEach((qr, index) => {
    const x = (CARD_WIDTH - row) / 2 + index * (size + gap);
    parts.push(nestedSvg(qr.svg, x, 340, size));
    parts.push(text(x + size / 2, 340 + size + 50, qr.caption, 32));
  });
  let y = 340 + size + 120;
  if (texts.code !== null) {
    parts.push(text(CARD_WIDTH / 2, y, texts.code, 40, { weight: 'bold' }));
    y += 80;
  }
  parts.push(text(CARD_WIDTH / 2, y, texts.phonesTitle, 40, { fill: '#b71c1c', weight: 'bold' }));
  y += 64;
  for (const phone of texts.phones) {
    parts.push(text(CARD_WIDTH / 2, y, phone, 38));
    y += 58;
  }
  parts.push(text(CARD_WIDTH / 2, CARD_HEIGHT - 70, texts.footer, 28, { fill: '#b71c1c' }));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">${parts.join('')}</svg>`;
}

function text(x: number, y: number, content: string, size: number, style: { fill?: string; weight?: string } = {}): string {
  return (
    `<text x="${x}" y="${y}" font-family="${CARD_FONT}" font-size="${size}" text-anchor="middle"` +
    ` fill="${style.fill ?? '#222222'}"${style.weight ? ` font-weight="${style.weight}"` : ''}>${escapeXml(content)}</text>`
  );
}

/** The QR code's own <svg>, placed and sized inside the card (its viewBox scales it, crisp). */
function nestedSvg(svg: string, x: number, y: number, size: number): string {
  return svg.replace(/^[\s\S]*?<svg /, `<svg x="${x}" y="${y}" width="${size}" height="${size}" `);
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!);
}
