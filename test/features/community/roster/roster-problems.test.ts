/**
 * Bad roster files import nothing and name every problem with its row and column — checked on
 * real databases, including a file that is bad in only one row among good ones.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRosterResult, importRoster, type RosterProblem } from '../../../../src/features/community/roster/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { CURRENT_YEAR, fixture, tempFolder, translator } from './roster-support.js';
import { seedCommunity } from '../../../support/community.js';

/** Every problem in bad.csv, row by row (the header is row 1). */
const BAD_CSV_PROBLEMS: RosterProblem[] = [
  { line: 3, column: 'memberName', code: 'duplicate_member', vars: { name: '张秀兰', firstLine: 2 } },
  { line: 4, column: 'phone', code: 'bad_phone', vars: { value: '12345' } },
  { line: 5, column: 'address', code: 'household_mismatch', vars: { value: '团结巷3号院2号', firstValue: '团结巷3号院1号', firstLine: 2 } },
  { line: 5, column: 'birthYear', code: 'bad_birth_year', vars: { value: '1899', min: 1900, max: CURRENT_YEAR } },
  { line: 6, column: 'areaPath', code: 'bad_area_path', vars: { value: '平房区//3号院' } },
  { line: 6, column: 'flags', code: 'unknown_flag', vars: { value: '孤寡' } },
  { line: 7, column: 'groupHead', code: 'bad_group_head', vars: { value: '也许' } },
  { line: 7, column: 'language', code: 'unknown_language', vars: { value: '法语' } },
  { line: 8, column: 'address', code: 'missing_field', vars: {} },
  { line: 8, column: 'groupHead', code: 'group_no_head', vars: { group: 'G02' } },
  { line: 10, column: 'groupHead', code: 'group_two_heads', vars: { group: 'G03', firstLine: 9 } },
  { line: 12, column: 'groupCode', code: 'household_two_groups', vars: { code: '0005', group: 'G03', firstGroup: 'G01', firstLine: 11 } },
  { line: 13, column: 'groupHead', code: 'head_without_group', vars: {} },
  { line: 14, column: 'householdCode', code: 'missing_field', vars: {} },
  { line: 14, column: 'memberName', code: 'missing_field', vars: {} },
  { line: 15, column: 'areaPath', code: 'bad_area_path', vars: { value: '平房区/团结巷/3号院/东屋' } },
  { line: 17, column: 'flags', code: 'household_mismatch', vars: { value: '老年', firstValue: '低保', firstLine: 16 } },
  { line: 18, column: 'birthYear', code: 'bad_birth_year', vars: { value: '2099', min: 1900, max: CURRENT_YEAR } },
  { line: 19, column: 'areaPath', code: 'household_mismatch', vars: { value: '楼寓/2号楼', firstValue: '楼寓/1号楼', firstLine: 18 } },
];

const HEADER = '户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言';

describe.each(databaseTargets())('roster problems on %s', (target) => {
  let db: TestDatabase;
  const folder = tempFolder();
  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(async () => {
    await db.close();
    folder.remove();
  });

  const importFile = (communityId: string, file: string) =>
    importRoster({ prisma: db.prisma, communityId, file, translator, currentYear: CURRENT_YEAR });

  const writeCsv = (name: string, text: string) => {
    const file = join(folder.dir, name);
    writeFileSync(file, text);
    return file;
  };

  const expectNothingStored = async (communityId: string) => {
    expect(await db.prisma.household.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.resident.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.area.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.householdGroup.count({ where: { communityId } })).toBe(0);
  };

  it('reports every bad row of bad.csv with its row and column, and imports nothing', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, fixture('bad.csv'));
    expect(result).toEqual({ ok: false, problems: BAD_CSV_PROBLEMS, rows: 18, ignoredColumns: [] });
    await expectNothingStored(communityId);
  });

  it('the same problems in an .xlsx file carry the same rows, and import nothing', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const { readFileSync } = await import('node:fs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('1');
    for (const line of readFileSync(fixture('bad.csv'), 'utf8').trimEnd().split('\n')) sheet.addRow(line.split(','));
    const file = join(folder.dir, 'bad.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(await importFile(communityId, file)).toMatchObject({ ok: false, problems: BAD_CSV_PROBLEMS });
    await expectNothingStored(communityId);
  });

  it('one bad row among good ones leaves an existing roster untouched', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    const before = await db.prisma.resident.findMany({ where: { communityId }, orderBy: { id: 'asc' } });
    const file = writeCsv(
      'one-bad.csv',
      [HEADER, '0001,平房区/团结巷/3号院,团结巷3号院1号,张秀兰,13900000000,1948,老年,G01,是,', '0009,楼寓/9号楼,9号楼,新人,139,1990,,,,'].join('\n'),
    );
    const result = await importFile(communityId, file);
    expect(result).toMatchObject({ ok: false, problems: [{ line: 3, column: 'phone', code: 'bad_phone', vars: { value: '139' } }] });
    expect(await db.prisma.resident.findMany({ where: { communityId }, orderBy: { id: 'asc' } })).toEqual(before);
    expect(await db.prisma.household.count({ where: { communityId, code: '0009' } })).toBe(0);
  });

  it('names missing and doubled columns on the header row', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const file = writeCsv('columns.csv', ['户号,片区,住址,姓名,手机,电话,出生年份,十户联包组,十户长', '0001,a,b,c,,,,,'].join('\n'));
    const result = await importFile(communityId, file);
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 1, column: 'phone', code: 'duplicate_column', vars: { header: '电话' } },
        { line: 1, column: 'flags', code: 'missing_column', vars: {} },
        { line: 1, column: 'language', code: 'missing_column', vars: {} },
      ],
      rows: 0,
      ignoredColumns: [],
    });
  });

  it.each([
    ['no header', 'notes.csv', 'just,some,text\n1,2,3\n', { line: null, column: null, code: 'no_header', vars: {} }],
    ['only a header', 'empty.csv', `${HEADER}\n\n`, { line: null, column: null, code: 'no_rows', vars: {} }],
    ['an unclosed quote', 'quote.csv', `${HEADER}\n0001,"平房区,x\n`, { line: 2, column: null, code: 'csv_malformed', vars: { reason: 'CSV_QUOTE_NOT_CLOSED' } }],
    ['another kind of file', 'roster.xls', 'x', { line: null, column: null, code: 'file_type', vars: { extension: '.xls' } }],
  ])('a file with %s is one problem', async (_label, name, text, problem) => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, writeCsv(name, text));
    expect(result).toMatchObject({ ok: false, problems: [problem] });
    await expectNothingStored(communityId);
  });

  it('a missing file or a broken workbook is unreadable, not a crash', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    expect(await importFile(communityId, join(folder.dir, 'absent.csv'))).toMatchObject({
      ok: false,
      problems: [{ line: null, column: null, code: 'file_unreadable', vars: { reason: 'ENOENT' } }],
    });
    const broken = await importFile(communityId, writeCsv('broken.xlsx', 'not a zip'));
    expect(broken).toMatchObject({ ok: false, problems: [{ line: null, column: null, code: 'file_unreadable' }] });
  });

  it('renders the problems for the operator in their language', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, fixture('bad.csv'));
    const zh = formatRosterResult(translator, 'zh-CN', result);
    expect(zh[0]).toBe('文件中有19处问题，没有导入任何数据：');
    expect(zh[1]).toBe('第3行「姓名」：“张秀兰”在本户已出现过（第2行）。');
    expect(zh[6]).toBe('第6行「优先类别」：无法识别的类别“孤寡”，可填：老年、残疾、患病、低保、优抚。');
    const en = formatRosterResult(translator, 'en', result);
    expect(en[2]).toBe('Row 4, Phone: "12345" is not a phone number: a mobile has 11 digits, a landline needs its area code.');
    expect(en[7]).toBe('Row 7, Group head: "也许" is not understood: write "yes" or "no".');
    expect(en).toHaveLength(20);
    for (const line of [...zh, ...en]) expect(line).not.toMatch(/\{\{/);
  });
});
