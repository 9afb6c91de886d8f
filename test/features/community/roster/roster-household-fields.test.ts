/**
 * Offices fill a household's fields (area, address, priority flags, group) on its first row and
 * leave them blank on the other members' rows: a blank takes the household's value from its
 * other rows, and a head's group is their household's. Only two different filled values
 * conflict — reported with both lines, nothing imported. Both as .csv and as .xlsx.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../../../src/features/community/roster/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { CURRENT_YEAR, GOOD_FIRST_COUNTS, GOOD_ROSTER, storedRoster, tempFolder, translator } from './roster-support.js';
import { seedCommunity } from '../../../support/community.js';

const HEADER = '户号,片区,住址,姓名,电话（手机）,出生年份,优先类别,十户联包组,是否十户长,语言';

/** The good roster with each household's fields on one of its rows only. */
const FILLED_ONCE = [
  HEADER,
  '0001,平房区/团结巷/3号院,团结巷3号院1号,张秀兰,13800138000,1948,老年、低保,G01,是,中文',
  '0001,,,李建国,,1946,,,,',
  '0002,平房区/团结巷/3号院,团结巷3号院2号,王芳,010-6512-3456,1980,,G01,否,',
  // The group on the second member's row; the head is the first member.
  '0003,平房区/团结巷,团结巷5号,赵磊,+86 139 1234 5678,1975,残疾，患病,,是,英文',
  '0003,,,赵小雨,,2010,,G02,,',
  '0004,楼寓/1号楼,1号楼2单元301,Emily Chen,13700001111,1990,,,,en',
];

/** Two different addresses for household 0001 (lines 2 and 4), a blank between them. */
const CONFLICTING = [
  HEADER,
  '0001,平房区/团结巷/3号院,团结巷3号院1号,张秀兰,,1948,老年,G01,是,',
  '0001,,,李建国,,1946,,,,',
  '0001,,团结巷3号院9号,李小梅,,1980,低保,,,',
];

type Format = 'csv' | 'xlsx';

describe.each(databaseTargets())('household fields filled once, on %s', (target) => {
  let db: TestDatabase;
  const folder = tempFolder();
  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(async () => {
    await db.close();
    folder.remove();
  });

  async function write(name: string, lines: string[], format: Format): Promise<string> {
    const file = join(folder.dir, `${name}.${format}`);
    if (format === 'csv') {
      writeFileSync(file, `${lines.join('\n')}\n`);
    } else {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('花名册');
      // Blank cells left empty, as an office's sheet has them.
      for (const line of lines) sheet.addRow(line.split(',').map((cell) => (cell === '' ? null : cell)));
      await workbook.xlsx.writeFile(file);
    }
    return file;
  }

  const importFile = (communityId: string, file: string) => importRoster({ prisma: db.prisma, communityId, file, translator, currentYear: CURRENT_YEAR });

  it.each<Format>(['csv', 'xlsx'])('%s: blank household cells take the household’s values from its other rows', async (format) => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, await write('filled-once', FILLED_ONCE, format));
    expect(result).toMatchObject({ ok: true, rows: 6, counts: GOOD_FIRST_COUNTS });
    expect(await storedRoster(db.prisma, communityId)).toEqual(GOOD_ROSTER);
  });

  it.each<Format>(['csv', 'xlsx'])('%s: two different filled values for one household conflict, with both lines, and nothing is imported', async (format) => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, await write('conflicting', CONFLICTING, format));
    expect(result).toMatchObject({
      ok: false,
      problems: [
        { line: 4, column: 'address', code: 'household_mismatch', vars: { value: '团结巷3号院9号', firstValue: '团结巷3号院1号', firstLine: 2 } },
        { line: 4, column: 'flags', code: 'household_mismatch', vars: { value: '低保', firstValue: '老年', firstLine: 2 } },
      ],
    });
    expect(await db.prisma.household.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.resident.count({ where: { communityId } })).toBe(0);
  });

  it('a household with its address on none of its rows is missing it, once, on its first line', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const file = await write('no-address', [HEADER, '0001,平房区/团结巷,,张三,,,,,,', '0001,,,李四,,,,,,'], 'csv');
    expect(await importFile(communityId, file)).toMatchObject({ ok: false, problems: [{ line: 2, column: 'address', code: 'missing_field', vars: {} }] });
  });
});
