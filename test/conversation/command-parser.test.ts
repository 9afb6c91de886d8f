/**
 * Commands as people type them: slash commands with a bot's name (Telegram groups), arguments,
 * full-width characters; command words with and without a code after them.
 */
import { describe, expect, it } from 'vitest';
import { parseSlashCommand, parseWordCommand } from '../../src/conversation/command-parser.js';

describe('slash commands', () => {
  it.each([
    ['/bind abcd-efgh', { name: 'bind', argument: 'abcd-efgh' }],
    ['/bind@MyBot CODE', { name: 'bind', argument: 'CODE' }],
    ['/BIND@my_bot   ABCD  EFGH  ', { name: 'bind', argument: 'ABCD EFGH' }],
    ['／ｂｉｎｄ　ＡＢＣＤ－ＥＦＧＨ', { name: 'bind', argument: 'ABCD-EFGH' }],
    ['/start', { name: 'start', argument: '' }],
    ['/start@linli_bot', { name: 'start', argument: '' }],
    ['  /menu  ', { name: 'menu', argument: '' }],
    ['/whoami\nplease', { name: 'whoami', argument: 'please' }],
  ])('%j → %j', (typed, parsed) => {
    expect(parseSlashCommand(typed)).toEqual(parsed);
  });

  it.each(['/', '/ bind', '1/2', 'bind', '/绑定', '/123', '/bind-code x', `/${'a'.repeat(33)}`])('%j is not a slash command', (typed) => {
    expect(parseSlashCommand(typed)).toBeUndefined();
  });
});

describe('command words', () => {
  const words = { bind: ['绑定', '绑定账号', 'bind'], whoami: ['我是谁', 'who am i'] };
  const options = { withArgument: ['bind'] };

  it.each([
    ['绑定', { name: 'bind', argument: '' }],
    ['绑定 ABCD EFGH', { name: 'bind', argument: 'ABCD EFGH' }],
    ['绑定ABCD-EFGH', { name: 'bind', argument: 'ABCD-EFGH' }],
    ['绑定：abcd-efgh', { name: 'bind', argument: 'abcd-efgh' }],
    ['绑定　ＡＢＣＤ－ＥＦＧＨ', { name: 'bind', argument: 'ABCD-EFGH' }],
    ['绑定账号 ABCD-EFGH', { name: 'bind', argument: 'ABCD-EFGH' }],
    ['Bind abcd-efgh', { name: 'bind', argument: 'abcd-efgh' }],
    ['我是谁', { name: 'whoami', argument: '' }],
    ['我是谁？', { name: 'whoami', argument: '' }],
    ['我是谁。', { name: 'whoami', argument: '' }],
    ['Who Am I', { name: 'whoami', argument: '' }],
  ])('%j → %j', (typed, parsed) => {
    expect(parseWordCommand(typed, words, options)).toEqual(parsed);
  });

  it.each([
    '绑定的手机号换了怎么办', // an answer that starts with the word
    '绑定 我家的门牌号', // not shaped like a code
    `绑定 ${'A'.repeat(30)}`, // too long for a code
    'binder', // a Latin word must stand apart
    'bindABCD',
    '我是谁 ABCD', // whoami takes no argument
    '',
  ])('%j is not a command', (typed) => {
    expect(parseWordCommand(typed, words, options)).toBeUndefined();
  });
});
