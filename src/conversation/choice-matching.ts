/**
 * Which offered choice a typed answer means: its number ("2", "２", "第2个"), its label, or one
 * of its words, in the person's language.
 */
import type { Vars } from '../i18n/translator.js';
import { normalizeAnswer, parseChoiceNumber } from './answer-parsing.js';

/**
 * A choice as offered: its label key and, optionally, a key listing more words ("a|b|c"); or a
 * label shown as it is (a name listed from saved data).
 */
export type OfferedChoice = { labelKey: string; wordsKey?: string } | { text: string };

/** What matching needs from the engine context. */
export interface WordSource {
  t(key: string, vars?: Vars): string;
  words(key: string): string[];
}

/**
 * Returns the index of the choice the text picks, or undefined.
 * With `partial`, a text that contains exactly one choice's label or word (or is part of one
 * label) picks it too — "我要报修" picks "报修". Confirmations pass `partial: false`, since
 * "不确认" contains "确认".
 */
export function matchChoice(
  choices: readonly OfferedChoice[],
  text: string,
  source: WordSource,
  vars: Vars | undefined,
  partial: boolean,
): number | undefined {
  const position = parseChoiceNumber(text);
  if (position !== undefined) return position >= 1 && position <= choices.length ? position - 1 : undefined;

  const typed = normalizeAnswer(text);
  if (!typed) return undefined;
  const labels: string[] = [];
  const words: string[][] = [];
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i]!;
    const shown = 'text' in choice ? choice.text : source.t(choice.labelKey, vars);
    const label = normalizeAnswer(stripDecoration(shown));
    const own = 'wordsKey' in choice && choice.wordsKey ? source.words(choice.wordsKey).map(normalizeAnswer) : [];
    if (typed === label || own.includes(typed)) return i;
    labels.push(label);
    words.push(own);
  }
  if (!partial) return undefined;

  let found: number | undefined;
  for (let i = 0; i < choices.length; i++) {
    const label = labels[i]!;
    const hit =
      (typed.length >= 2 && label.includes(typed)) ||
      (label.length >= 2 && containsWord(typed, label)) ||
      words[i]!.some((word) => word.length >= 2 && containsWord(typed, word));
    if (!hit) continue;
    if (found !== undefined) return undefined; // two choices fit: ask again rather than guess
    found = i;
  }
  return found;
}

/** Drops emoji and symbols around a label ("🔧 报修" → "报修"). */
function stripDecoration(label: string): string {
  return label.replace(/^[\p{Extended_Pictographic}\p{S}\s\uFE0F]+|[\p{Extended_Pictographic}\p{S}\s\uFE0F]+$/gu, '');
}

/** CJK words match anywhere; Latin words only as whole words ("ok" is not in "broken"). */
function containsWord(text: string, word: string): boolean {
  if (!/^[\x20-\x7e]+$/.test(word)) return text.includes(word);
  let from = 0;
  for (;;) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + word.length] ?? '';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}
