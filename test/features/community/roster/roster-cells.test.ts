/** The lenient reading of one cell and of header names, with the boundaries of each rule. */
import { describe, expect, it } from 'vitest';
import { parseAreaPath, parseBirthYear, parseFlags, parseLanguage, parsePhone, parseYesNo } from '../../../../src/features/community/roster/roster-cells.js';
import { decodeCsvBytes } from '../../../../src/features/community/roster/roster-csv.js';
import { rowsFromGrid } from '../../../../src/features/community/roster/roster-grid.js';
import { rosterVocabulary, rosterWording } from '../../../../src/features/community/roster/roster-vocabulary.js';
import { ROSTER_COLUMNS } from '../../../../src/features/community/roster/roster-row.js';
import { Translator } from '../../../../src/i18n/translator.js';
import { translator } from './roster-support.js';

const vocabulary = rosterVocabulary(translator);
const value = <T>(result: { ok: true; value: T } | { ok: false }) => (result.ok ? result.value : 'bad');

describe('phone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['008613800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['19912345678', '19912345678'],
    ['010-65123456', '01065123456'],
    ['(0851) 8512 3456', '085185123456'],
    ['0471-1234567', '04711234567'],
    ['', null],
  ])('%s → %s', (text, expected) => expect(value(parsePhone(text))).toBe(expected));

  it.each(['12345', '12800138000', '1380013800', '138001380000', '65123456', '010-1234567x', '00000000000', '0123'])('%s is not a phone', (text) =>
    expect(parsePhone(text).ok).toBe(false),
  );
});

describe('birth year', () => {
  it.each([
    ['1900', 1900],
    ['2026', 2026],
    ['1948年', 1948],
    ['', null],
  ])('%s → %s', (text, expected) => expect(value(parseBirthYear(text, 2026))).toBe(expected));

  it.each(['1899', '2027', '48', '1948-03-02', 'abc', '19480'])('%s is not a birth year (in 2026)', (text) =>
    expect(parseBirthYear(text, 2026).ok).toBe(false),
  );
});

describe('flags', () => {
  it('reads Chinese and English names and the stored words, with , ， 、 and ; between them', () => {
    expect(parseFlags('高龄，残疾、大病,低保;军属', vocabulary)).toEqual({
      flags: ['elderly', 'disabled', 'ill', 'low_income', 'veteran_family'],
      unknown: [],
    });
    expect(parseFlags('Low Income, elderly', vocabulary)).toEqual({ flags: ['elderly', 'low_income'], unknown: [] });
    expect(parseFlags('veteran_family', vocabulary)).toEqual({ flags: ['veteran_family'], unknown: [] });
  });

  it('keeps one of each, in the vocabulary order, and lists every unknown word', () => {
    expect(parseFlags('老年、老人、高龄', vocabulary)).toEqual({ flags: ['elderly'], unknown: [] });
    expect(parseFlags('孤寡、老年、宗教', vocabulary)).toEqual({ flags: ['elderly'], unknown: ['孤寡', '宗教'] });
    expect(parseFlags('', vocabulary)).toEqual({ flags: [], unknown: [] });
    expect(parseFlags(' 、 ', vocabulary)).toEqual({ flags: [], unknown: [] });
  });
});

describe('yes/no and language', () => {
  it.each([
    ['是', true],
    ['否', false],
    ['YES', true],
    ['no', false],
    ['√', true],
    ['', false],
  ])('group head %s → %s', (text, expected) => expect(value(parseYesNo(text, vocabulary))).toBe(expected));

  it('refuses other words as yes/no', () => expect(parseYesNo('maybe', vocabulary).ok).toBe(false));

  it.each([
    ['zh-CN', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['中文', 'zh-CN'],
    ['Chinese', 'zh-CN'],
    ['en', 'en'],
    ['英文', 'en'],
    ['English', 'en'],
    ['', null],
  ])('language %s → %s', (text, expected) => expect(value(parseLanguage(text, vocabulary))).toBe(expected));

  it('refuses a language the community has no texts for', () => expect(parseLanguage('fr', vocabulary).ok).toBe(false));
});

describe('area path', () => {
  it.each([
    ['平房区', ['平房区']],
    ['平房区/团结巷', ['平房区', '团结巷']],
    ['平房区/团结巷/3号院', ['平房区', '团结巷', '3号院']],
    [' 平房区 ／ 团结巷 / ３号院 ', ['平房区', '团结巷', '3号院']],
  ])('%s', (text, segments) => expect(value(parseAreaPath(text))).toEqual(segments));

  it.each(['', '/平房区', '平房区/', '平房区//3号院', 'a/b/c/d'])('%s is malformed', (text) => expect(parseAreaPath(text).ok).toBe(false));
});

describe('headers', () => {
  it('matches trimmed, any case, full-width, with synonyms and hints in brackets', () => {
    const headers = ['　户编号 ', 'AREA', '地址', 'Full Name', '电话（手机）', 'birth_year', '户标记', 'ＧＲＯＵＰ', '是否十户长', '语言*'];
    const reading = rowsFromGrid([{ line: 1, cells: headers }, { line: 2, cells: headers.map((_, i) => `v${i}`) }], vocabulary);
    expect(reading).toEqual({
      ok: true,
      ignoredColumns: [],
      rows: [Object.fromEntries([['line', 2], ...ROSTER_COLUMNS.map((c, i) => [c, `v${i}`])])],
    });
  });

  it('finds columns in any order, under a title, and lists headers it does not know as ignored', () => {
    const en = rosterWording(translator, 'en').headers;
    const reading = rowsFromGrid(
      [
        { line: 1, cells: ['Unity Community roster 2026'] },
        { line: 3, cells: ['备注', ...[...ROSTER_COLUMNS].reverse().map((c) => en[c]), '身份证号'] },
        { line: 4, cells: ['note', '', '', '', '', '', '', 'c', 'b', 'a', '0001', '110'] },
        { line: 5, cells: ['only a note'] },
      ],
      vocabulary,
    );
    expect(reading).toMatchObject({ ok: true, ignoredColumns: ['备注', '身份证号'], rows: [{ line: 4, householdCode: '0001', areaPath: 'a', memberName: 'c' }] });
    expect(reading.ok && reading.rows).toHaveLength(1);
  });

  it('refuses locales in which one word would mean two things', () => {
    const catalogs = new Map(translator.locales.map((l) => [l, Object.fromEntries(translator.keys(l).map((k) => [k, translator.t(l, k)]))]));
    catalogs.get('en')!['roster.column_aliases.phone'] = 'phone number|name';
    expect(() => rosterVocabulary(new Translator(catalogs))).toThrow(/"name" means both memberName and phone/);
  });
});

describe('CSV encodings', () => {
  const text = '户号,姓名\n0001,张秀兰\n';
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeCsvBytes(Buffer.from(text))).toEqual({ encoding: 'utf-8', text });
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ encoding: 'utf-8', text });
  });

  it('reads GBK (as GB18030) when the bytes are not UTF-8', () => {
    // 户号,姓名 / 0001,张秀兰 in GBK.
    const gbk = Buffer.from('bba7bac52cd0d5c3fb0a303030312cd5c5d0e3c0bc0a', 'hex');
    expect(decodeCsvBytes(gbk)).toEqual({ encoding: 'gb18030', text });
  });
});
