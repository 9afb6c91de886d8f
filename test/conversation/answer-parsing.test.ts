/**
 * Reading typed numbers and choices: full-width digits, Chinese numerals, "第2个", and words
 * matched whole (Latin) or anywhere (CJK), refusing to guess between two choices.
 */
import { describe, expect, it } from 'vitest';
import {
  characterCount,
  normalizeAnswer,
  normalizePhone,
  parseChineseNumeral,
  parseChoiceNumber,
  parseNumberAnswer,
} from '../../src/conversation/answer-parsing.js';
import { matchChoice, type WordSource } from '../../src/conversation/choice-matching.js';

describe('parseChineseNumeral', () => {
  it.each([
    ['零', 0],
    ['三', 3],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十五', 25],
    ['一百零八', 108],
    ['两千', 2000],
    ['一万二千', 12000],
  ])('%s = %d', (text, value) => expect(parseChineseNumeral(text)).toBe(value));

  it.each(['', '三四', '百', '个', 'abc'])('%j is not a numeral', (text) => expect(parseChineseNumeral(text)).toBeUndefined());
});

describe('parseNumberAnswer', () => {
  it.each([
    ['42', 42],
    ['４２', 42],
    ['-3', -3],
    ['3.5', 3.5],
    ['３．５', 3.5],
    ['1,200', 1200],
    [' 7 ', 7],
    ['7。', 7],
    ['十五', 15],
    ['负三', -3],
  ])('%j = %d', (text, value) => expect(parseNumberAnswer(text)).toBe(value));

  it.each(['', 'abc', '3个', '1,20', '3.5.1', '1e5', 'Infinity'])('%j is not a number', (text) =>
    expect(parseNumberAnswer(text)).toBeUndefined(),
  );
});

describe('parseChoiceNumber', () => {
  it.each([
    ['2', 2],
    ['２', 2],
    ['2.', 2],
    ['2、', 2],
    ['第2个', 2],
    ['第二项', 2],
    ['选3', 3],
    ['No. 4', 4],
    ['#5', 5],
    ['十二', 12],
  ])('%j = %d', (text, value) => expect(parseChoiceNumber(text)).toBe(value));

  it.each(['二楼漏水', '2号楼', 'two', ''])('%j is not a position', (text) => expect(parseChoiceNumber(text)).toBeUndefined());
});

describe('normalizeAnswer and characterCount', () => {
  it('folds width, case, spaces and trailing punctuation', () => {
    expect(normalizeAnswer('  ＣＡＮＣＥＬ！ ')).toBe('cancel');
    expect(normalizeAnswer('返回。')).toBe('返回');
    expect(normalizeAnswer('main   menu')).toBe('main menu');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(characterCount('👍🏽漏水')).toBe(4);
    expect('👍🏽漏水'.length).toBe(6);
  });
});

describe('matchChoice', () => {
  const table: Record<string, string> = {
    'c.water': '💧 水管漏水',
    'c.water.words': '漏水|水管|leak',
    'c.power': '停电',
    'c.ok': 'OK',
    'c.ok.words': 'ok|fine',
    'c.broken': 'Broken',
  };
  const source: WordSource = {
    t: (key) => table[key]!,
    words: (key) => table[key]!.split('|'),
  };
  const choices = [{ labelKey: 'c.water', wordsKey: 'c.water.words' }, { labelKey: 'c.power' }];

  it('by position, label (without its emoji) or word', () => {
    expect(matchChoice(choices, '2', source, undefined, true)).toBe(1);
    expect(matchChoice(choices, '水管漏水', source, undefined, false)).toBe(0);
    expect(matchChoice(choices, 'LEAK', source, undefined, false)).toBe(0);
    expect(matchChoice(choices, '3', source, undefined, true)).toBeUndefined();
  });

  it('partially only when asked, and only when one choice fits', () => {
    expect(matchChoice(choices, '厨房漏水了', source, undefined, true)).toBe(0);
    expect(matchChoice(choices, '厨房漏水了', source, undefined, false)).toBeUndefined();
    expect(matchChoice(choices, '漏水又停电', source, undefined, true)).toBeUndefined();
    expect(matchChoice(choices, '停', source, undefined, true)).toBeUndefined();
  });

  it('Latin words match whole words only', () => {
    const latin = [{ labelKey: 'c.ok', wordsKey: 'c.ok.words' }, { labelKey: 'c.broken' }];
    expect(matchChoice(latin, 'it is broken', source, undefined, true)).toBe(1);
    expect(matchChoice(latin, 'all ok now', source, undefined, true)).toBe(0);
    expect(matchChoice(latin, 'bookshelf', source, undefined, true)).toBeUndefined();
  });
});

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['0086-13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['0991-1234567', '09911234567'],
    ['(010) 6512-3456', '01065123456'],
    ['0755-12345678', '075512345678'],
  ])('%j → %s', (typed, digits) => {
    expect(normalizePhone(typed)).toBe(digits);
  });

  it.each([
    '12345',
    '1380013800', // 10 digits
    '138001380001', // 12 digits
    '12800138000', // no such mobile prefix
    '+1 415 555 0100',
    '+86 0991 1234567',
    '0991-123',
    'phone: 13800138000',
    '一三八',
    '',
  ])('%j is not a phone number', (typed) => {
    expect(normalizePhone(typed)).toBeUndefined();
  });
});
