/**
 * How buttons look on a channel without them (WeChat): the same choices as numbered lines under
 * the text, and a line saying to reply with the number. One look for a flow step's choices and a
 * notice's buttons alike, so "1" reads the same wherever the person sees it.
 *
 * @example
 * numberedText('请选择：', ['投诉', '报修'], (key, vars) => translator.t(locale, key, vars));
 * // '请选择：\n\n1. 投诉\n2. 报修\n\n请回复数字1–2选择，也可以直接回复选项文字。'
 */
import type { Vars } from '../i18n/translator.js';

/** The text with the labels as numbered lines after it and the hint (`channel.numbered_hint`). */
export function numberedText(text: string, labels: readonly string[], t: (key: string, vars?: Vars) => string): string {
  const lines = labels.map((label, i) => `${i + 1}. ${label}`);
  return [text, '', ...lines, '', t('channel.numbered_hint', { count: labels.length })].join('\n');
}
