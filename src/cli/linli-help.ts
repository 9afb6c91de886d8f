/**
 * commander's help in the operator's language. commander writes some words of its own in English
 * — the headings ("Usage:", "Options:"), "[options]" and "[command]" in a usage line — and shows
 * the value names we give arguments and options (`<file>`, `--days <n>`); these hooks put each
 * through the locales, and measure Chinese characters as the two columns a terminal gives them.
 */
import { Help, type Command, type HelpConfiguration } from 'commander';
import type { Text } from './linli-command.js';

const HEADINGS: Readonly<Record<string, string>> = {
  'Usage:': 'cli.help.heading.usage',
  'Arguments:': 'cli.help.heading.arguments',
  'Options:': 'cli.help.heading.options',
  'Global Options:': 'cli.help.heading.global_options',
  'Commands:': 'cli.help.heading.commands',
};

/** The value names written in `<…>` or `[…]`: commander's own and those of our commands. */
const TERMS: Readonly<Record<string, string>> = {
  options: 'cli.help.term.options',
  command: 'cli.help.term.command',
  file: 'cli.help.term.file',
  'household code': 'cli.help.term.household_code',
  code: 'cli.help.term.household_code',
  number: 'cli.help.term.request_number',
  'ticket number': 'cli.help.term.ticket_number',
  state: 'cli.help.term.state',
  name: 'cli.help.term.name',
  role: 'cli.help.term.role',
  'area path': 'cli.help.term.area_path',
  'a,b': 'cli.help.term.skills',
  phone: 'cli.help.term.phone',
  date: 'cli.help.term.date',
  n: 'cli.help.term.n',
};

/** Locale keys of every term and heading (listed so the locale check sees them). */
export const HELP_KEYS = [...Object.values(HEADINGS), ...Object.values(TERMS)];

/** A value name in the operator's language ("household code" → "户号"); unknown ones as they are. */
export function termIn(text: Text, term: string): string {
  const key = TERMS[term];
  return key ? text(key) : term;
}

/** Every `<term>` and `[term]` of a help line in the operator's language. */
export function withTermsIn(text: Text, line: string): string {
  return line.replace(/([<[])([^>\]]+)([>\]])/g, (whole, open: string, term: string, close: string) =>
    TERMS[term] ? `${open}${text(TERMS[term])}${close}` : whole,
  );
}

/** Wide (East Asian) characters take two terminal columns; the help's columns line up by them. */
function terminalWidth(line: string): number {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  let width = 0;
  for (const char of plain) width += /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

export function localisedHelp(text: Text): HelpConfiguration {
  return {
    styleTitle: (title) => (HEADINGS[title] ? text(HEADINGS[title]) : title),
    styleUsage: (usage) => withTermsIn(text, usage),
    styleSubcommandTerm: (term) => withTermsIn(text, term),
    styleOptionTerm: (term) => withTermsIn(text, term),
    styleArgumentTerm: (term) => termIn(text, term),
    displayWidth: terminalWidth,
    // commander puts a space after the usage heading; after a full-width colon ("用法：") none belongs.
    formatHelp: (command: Command, helper: Help) => Help.prototype.formatHelp.call(helper, command, helper).replace(/^(\S*：) /, '$1'),
  };
}
