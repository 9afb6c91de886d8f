/**
 * Reads a command out of what a person typed — the one place commands are parsed. Two forms:
 *
 * - slash: `/bind abcd-efgh`, `/bind@MyBot CODE` (Telegram groups), `／bind　CODE` (full-width);
 * - words in the person's language: `绑定 ABCD EFGH`, `绑定ABCD-EFGH`, `bind ABCD-EFGH`.
 *
 * Pure: the caller says which words mean which command.
 *
 * @example
 * parseSlashCommand('/bind@linli_bot abcd-efgh') // { name: 'bind', argument: 'abcd-efgh' }
 * parseWordCommand('绑定 ABCD EFGH', { bind: ['绑定', 'bind'] }, { withArgument: ['bind'] })
 * // { name: 'bind', argument: 'ABCD EFGH' }
 */

/** A command as typed: its name, and what followed it (empty when nothing did). */
export interface ParsedCommand {
  name: string;
  argument: string;
}

/** `/name`, an optional `@botname`, then the argument after whitespace. */
const SLASH = /^\/([a-z][a-z0-9_]{0,31})(?:@[a-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/i;

/** Folds full-width forms (／, 　, ＡＢＣ) and trims; keeps case (arguments such as codes may care). */
function fold(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * A slash command, or undefined when the text is not one (`/` alone, `1/2`, `/ 2`…). The name is
 * lower case; the argument keeps what the person typed, with spaces folded.
 */
export function parseSlashCommand(text: string): ParsedCommand | undefined {
  const folded = fold(text);
  const match = SLASH.exec(folded);
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), argument: (match[2] ?? '').trim() };
}

/**
 * What a command typed as words may carry: something shaped like a code (letters, digits,
 * dashes and spaces, at most 24 characters). Anything longer or wordier is an answer that
 * happens to start with a command word ("绑定的手机号换了"), not a command.
 */
const WORD_ARGUMENT = /^[A-Za-z0-9][A-Za-z0-9 -]{0,23}$/;

/** Whether a word is written in Latin letters: it must then stand apart from what follows. */
const LATIN_WORD = /^[\x20-\x7e]+$/;

export interface WordCommandOptions {
  /** Commands that take an argument after their word; the others must be the whole text. */
  withArgument?: readonly string[];
}

/**
 * A command typed as one of its words: the whole text, or (for commands that take one) the word
 * followed by a code-shaped argument — after a space, or straight after a Chinese word
 * (`绑定ABCD`). Words compare case-insensitively; trailing punctuation is ignored.
 */
export function parseWordCommand(
  text: string,
  words: Readonly<Record<string, readonly string[]>>,
  options: WordCommandOptions = {},
): ParsedCommand | undefined {
  const folded = fold(text).replace(/[.。!！?？~～,，、;；]+$/u, '');
  if (folded.length === 0 || folded.length > 60) return undefined;
  const lower = folded.toLowerCase();
  const takesArgument = new Set(options.withArgument ?? []);
  let best: { name: string; argument: string; length: number } | undefined;
  for (const [name, list] of Object.entries(words)) {
    for (const raw of list) {
      const word = fold(raw).toLowerCase();
      if (!word) continue;
      if (lower === word) return { name, argument: '' };
      if (!takesArgument.has(name) || !lower.startsWith(word)) continue;
      const rest = folded.slice(word.length);
      const separated = /^\s/.test(rest);
      if (LATIN_WORD.test(word) && !separated) continue;
      const argument = rest.replace(/^[\s:：]+/, '');
      if (!WORD_ARGUMENT.test(argument)) continue;
      // The longest word wins ("解除绑定" over "解除").
      if (!best || word.length > best.length) best = { name, argument, length: word.length };
    }
  }
  return best && { name: best.name, argument: best.argument };
}
