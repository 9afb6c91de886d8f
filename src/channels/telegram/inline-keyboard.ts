/**
 * Choices as an inline keyboard: one button per row, or two per row when every label is short
 * enough to stay readable at half the width of a phone screen.
 */
import type { OutboundChoice } from '../types.js';

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** Widest label (in narrow-character units, a CJK character counts two) that still pairs up. */
export const SHORT_LABEL_WIDTH = 14;

export function inlineKeyboard(choices: readonly OutboundChoice[]): InlineKeyboard {
  const buttons = choices.map((c) => ({ text: c.label, callback_data: c.data }));
  const perRow = buttons.length > 1 && choices.every((c) => displayWidth(c.label) <= SHORT_LABEL_WIDTH) ? 2 : 1;
  const rows: InlineKeyboard['inline_keyboard'] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return { inline_keyboard: rows };
}

/** Rough on-screen width: East Asian wide characters and emoji count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0)!) ? 2 : 1;
  return width;
}

/** Hangul, CJK, full-width forms and the emoji planes. */
const WIDE_RANGES: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1faff],
  [0x20000, 0x3fffd],
];

function isWide(code: number): boolean {
  return WIDE_RANGES.some(([from, to]) => code >= from && code <= to);
}
