/**
 * Export and template on real databases: the exported file is the roster as stored, imports
 * back as "all unchanged", and export → import → export gives the same file (byte for byte as
 * CSV, cell for cell as .xlsx).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportRoster,
  formatRosterExport,
  importRoster,
  RosterFileTypeError,
  writeRosterTemplate,
} from '../../../../src/features/community/roster/index.js';
import { readXlsxLines } from '../../../../src/features/community/roster/roster-xlsx.js';
import type { Actor } from '../../../../src/features/policy/actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { CURRENT_YEAR, fixture, GOOD_FIRST_COUNTS, GOOD_ROSTER, GOOD_UNCHANGED_COUNTS, storedRoster, tempFolder, translator } from './roster-support.js';
import { seedCommunity } from '../../../support/community.js';

const BOM = '\uFEFF';

/** good-zh.csv as the zh-CN export writes it: canonical phones, paths, flag names, yes words, language names. */
const EXPORTED_ZH = [
  '户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言',
  '0001,平房区/团结巷/3号院,团结巷3号院1号,张秀兰,13800138000,1948,老年、低保,G01,是,中文',
  '0001,平房区/团结巷/3号院,团结巷3号院1号,李建国,,1946,老年、低保,G01,,',
  '0002,平房区/团结巷/3号院,团结巷3号院2号,王芳,01065123456,1980,,G01,,',
  '0003,平房区/团结巷,团结巷5号,赵磊,13912345678,1975,残疾、患病,G02,是,英文',
  '0003,平房区/团结巷,团结巷5号,赵小雨,,2010,残疾、患病,G02,,',
  '0004,楼寓/1号楼,1号楼2单元301,Emily Chen,13700001111,1990,,,,英文',
];

describe.each(databaseTargets())('roster export and template on %s', (target) => {
  let db: TestDatabase;
  const folder = tempFolder();
  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(async () => {
    await db.close();
    folder.remove();
  });

  const path = (name: string) => join(folder.dir, name);
  const importFile = (communityId: string, file: string) =>
    importRoster({ prisma: db.prisma, communityId, file, translator, currentYear: CURRENT_YEAR });
  const exportFile = (communityId: string, file: string, locale = 'zh-CN') =>
    exportRoster({ prisma: db.prisma, communityId, file, locale, translator });

  it('exports the stored roster: header in the locale, households by code, members by position, staff left out', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    await db.prisma.resident.create({ data: { communityId, name: '社区主任', phone: '13000000000' } });
    const result = await exportFile(communityId, path('export.csv'));
    expect(result).toEqual({ households: 4, residents: 6 });
    expect(formatRosterExport(translator, 'zh-CN', result)).toBe('已导出4户、6位居民。');
    expect(readFileSync(path('export.csv'), 'utf8')).toBe(`${BOM}${EXPORTED_ZH.join('\r\n')}\r\n`);
  });

  it('orders household codes by their numbers (2 before 10)', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const file = path('codes.csv');
    const rows = ['10', '2', 'B-10', 'B-9', '1'].map((code) => `${code},楼寓/1号楼,${code}号,居民${code},,,,,,`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, ['户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言', ...rows].join('\n'));
    await importFile(communityId, file);
    await exportFile(communityId, path('codes-out.csv'));
    const codes = readFileSync(path('codes-out.csv'), 'utf8').trim().split('\r\n').slice(1).map((line) => line.split(',')[0]);
    expect(codes).toEqual(['1', '2', '10', 'B-9', 'B-10']);
  });

  it('csv: export → import → export is byte-identical, the re-import all unchanged — in the same community and a new one', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-en.csv'));
    for (const locale of ['zh-CN', 'en']) {
      const first = path(`first-${locale}.csv`);
      await exportFile(communityId, first, locale);
      expect(await importFile(communityId, first)).toMatchObject({ ok: true, counts: GOOD_UNCHANGED_COUNTS, notInFile: [] });
      const second = path(`second-${locale}.csv`);
      await exportFile(communityId, second, locale);
      expect(readFileSync(second)).toEqual(readFileSync(first));

      const elsewhere = (await seedCommunity(db.prisma)).id;
      expect(await importFile(elsewhere, first)).toMatchObject({ ok: true, counts: GOOD_FIRST_COUNTS });
      expect(await storedRoster(db.prisma, elsewhere)).toEqual(GOOD_ROSTER);
      const third = path(`third-${locale}.csv`);
      await exportFile(elsewhere, third, locale);
      expect(readFileSync(third)).toEqual(readFileSync(first));
    }
  });

  it('xlsx: export → import → export gives the same cells, the re-import all unchanged', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    await exportFile(communityId, path('first.xlsx'), 'en');
    const firstCells = await readXlsxLines(path('first.xlsx'));
    expect(firstCells[0]!.cells).toEqual(['Household code', 'Area', 'Address', 'Name', 'Phone', 'Birth year', 'Flags', 'Group', 'Group head', 'Language']);
    expect(firstCells[1]!.cells).toEqual(['0001', '平房区/团结巷/3号院', '团结巷3号院1号', '张秀兰', '13800138000', '1948', 'elderly, low income', 'G01', 'yes', 'Chinese']);
    expect(await importFile(communityId, path('first.xlsx'))).toMatchObject({ ok: true, counts: GOOD_UNCHANGED_COUNTS });
    await exportFile(communityId, path('second.xlsx'), 'en');
    expect(await readXlsxLines(path('second.xlsx'))).toEqual(firstCells);
    // And the same rows as the CSV export.
    await exportFile(communityId, path('same.csv'), 'en');
    const csvLines = readFileSync(path('same.csv'), 'utf8').slice(1).trim().split('\r\n');
    expect(csvLines).toHaveLength(firstCells.length);
  });

  it('with an actor: records the export in the audit log (counts only), and refuses someone who may not export, writing no file', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    const audited = (actor: Actor, file: string) =>
      exportRoster({ prisma: db.prisma, communityId, file, locale: 'zh-CN', translator, audit: { actor } });

    expect(await audited({ kind: 'operator' }, path('audited.csv'))).toEqual({ households: 4, residents: 6 });
    const [row, ...more] = await db.prisma.auditLog.findMany({ where: { communityId, action: 'household.export' } });
    expect(more).toEqual([]);
    expect(row).toMatchObject({ via: 'cli', actorId: null, subjectType: 'community', subjectId: communityId, details: { households: 4, residents: 6 } });
    expect(JSON.stringify(row!.details)).not.toContain('张秀兰');

    const resident: Actor = { kind: 'person', communityId, residentId: 'r-1', householdId: null, headOfGroupId: null, roles: [] };
    await expect(audited(resident, path('refused.csv'))).rejects.toThrow('household.export refused');
    expect(existsSync(path('refused.csv'))).toBe(false);
    expect(await db.prisma.auditLog.count({ where: { communityId, action: 'household.export' } })).toBe(1);
  });

  it('refuses to write another kind of file', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await expect(exportFile(communityId, path('roster.xls'))).rejects.toBeInstanceOf(RosterFileTypeError);
    await expect(writeRosterTemplate(path('template.txt'), 'zh-CN', { translator })).rejects.toBeInstanceOf(RosterFileTypeError);
  });

  it.each([
    ['zh-CN', 'csv'],
    ['en', 'csv'],
    ['zh-CN', 'xlsx'],
    ['en', 'xlsx'],
  ])('the %s .%s template has the header and one example row that imports as one household', async (locale, extension) => {
    const file = path(`template-${locale}.${extension}`);
    await writeRosterTemplate(file, locale, { translator });
    const lines =
      extension === 'csv'
        ? readFileSync(file, 'utf8').replace(BOM, '').trim().split('\r\n').map((l) => l.split(','))
        : (await readXlsxLines(file)).map((l) => l.cells);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual(
      locale === 'zh-CN'
        ? ['户号', '片区', '住址', '姓名', '电话', '出生年份', '优先类别', '十户联包组', '十户长', '语言']
        : ['Household code', 'Area', 'Address', 'Name', 'Phone', 'Birth year', 'Flags', 'Group', 'Group head', 'Language'],
    );
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, file);
    expect(result).toMatchObject({
      ok: true,
      counts: { households: { created: 1 }, residents: { created: 1 }, areas: { created: 3 }, groups: { created: 1 } },
    });
    const stored = await storedRoster(db.prisma, communityId);
    expect(stored.households[0]).toMatchObject({ code: '0001', flags: ['elderly', 'low_income'], group: 'G01' });
    expect(stored.households[0]!.members).toEqual([{ name: expect.any(String), phone: '13800138000', birthYear: 1948, locale, position: 0 }]);
    expect(stored.heads).toEqual({ G01: `0001/${stored.households[0]!.members[0]!.name}` });
  });
});
