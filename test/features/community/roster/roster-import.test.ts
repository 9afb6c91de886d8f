/**
 * Importing good rosters on real databases: what ends up stored, the counts an operator sees,
 * a second import changing nothing, dry runs, updates, members no longer in the file, heads that
 * move between groups.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/features/policy/actor.js';
import { applyRoster, importRoster, type RosterProgress } from '../../../../src/features/community/roster/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import {
  CURRENT_YEAR,
  fixture,
  GOOD_FIRST_COUNTS,
  GOOD_ROSTER,
  GOOD_UNCHANGED_COUNTS,
  storedRoster,
  tempFolder,
  translator,
} from './roster-support.js';
import { seedCommunity } from '../../../support/community.js';

/** The good roster as an office's Excel file: a title row, numbers typed as numbers, merged household cells. */
async function writeOfficeStyleXlsx(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow(['团结社区居民花名册']);
  sheet.mergeCells('A1:J1');
  sheet.addRow(['户号', '片区', '住址', '姓名', '联系电话', '出生年', '户标记', '联包组', '十户长', '语言', '备注']);
  sheet.addRow(['0001', '平房区/团结巷/3号院', '团结巷3号院1号', '张秀兰', 13800138000, 1948, '老年、低保', 'G01', '是', '中文', '']);
  sheet.addRow([null, '平房区/团结巷/3号院', null, '李建国', null, 1946, '老年,低保', 'G01', null, null, '']);
  sheet.mergeCells('A3:A4');
  sheet.mergeCells('C3:C4');
  sheet.addRow(['0002', '平房区/团结巷/3号院', '团结巷3号院2号', '王芳', '010-65123456', 1980, null, 'G01', '否', null, '']);
  sheet.addRow(['0003', '平房区/团结巷', '团结巷5号', '赵磊', { richText: [{ text: '139' }, { text: '12345678' }] }, 1975, '残疾、患病', 'G02', '是', '英文', '']);
  sheet.addRow(['0003', '平房区/团结巷', '团结巷5号', '赵小雨', null, 2010, '残疾、患病', 'G02', null, null, '']);
  sheet.addRow([]);
  sheet.addRow(['0004', '楼寓/1号楼', '1号楼2单元301', 'Emily Chen', 13700001111, { formula: '1989+1', result: 1990 }, null, null, null, 'en', '新住户']);
  await workbook.xlsx.writeFile(file);
}

describe.each(databaseTargets())('roster import on %s', (target) => {
  let db: TestDatabase;
  const folder = tempFolder();
  beforeAll(async () => {
    db = await createTestDatabase(target);
  });
  afterAll(async () => {
    await db.close();
    folder.remove();
  });

  const importFile = async (communityId: string, file: string, extra: { dryRun?: boolean; onProgress?: (p: RosterProgress) => void } = {}) =>
    importRoster({ prisma: db.prisma, communityId, file, translator, currentYear: CURRENT_YEAR, ...extra });

  it.each(['good-zh.csv', 'good-en.csv', 'good-zh-gbk.csv'])('imports %s: every household, member, area and group, with counts', async (name) => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const result = await importFile(communityId, fixture(name));
    expect(result).toEqual({ ok: true, dryRun: false, rows: 6, counts: GOOD_FIRST_COUNTS, notInFile: [], ignoredColumns: [] });
    expect(await storedRoster(db.prisma, communityId)).toEqual(GOOD_ROSTER);
  });

  it('reads an office-style .xlsx: title row, numbers as numbers, merged cells, a notes column ignored', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const file = join(folder.dir, 'office.xlsx');
    await writeOfficeStyleXlsx(file);
    const result = await importFile(communityId, file);
    expect(result).toEqual({ ok: true, dryRun: false, rows: 6, counts: GOOD_FIRST_COUNTS, notInFile: [], ignoredColumns: ['备注'] });
    expect(await storedRoster(db.prisma, communityId)).toEqual(GOOD_ROSTER);
  });

  it('changes nothing when the same roster comes again — in the same file or in the other language', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    const before = await db.prisma.resident.findMany({ where: { communityId }, orderBy: { id: 'asc' } });
    for (const name of ['good-zh.csv', 'good-en.csv', 'good-zh-gbk.csv']) {
      const again = await importFile(communityId, fixture(name));
      expect(again).toMatchObject({ ok: true, counts: GOOD_UNCHANGED_COUNTS, notInFile: [] });
    }
    // Not even rewritten: the rows keep their ids and update stamps.
    expect(await db.prisma.resident.findMany({ where: { communityId }, orderBy: { id: 'asc' } })).toEqual(before);
    expect(await storedRoster(db.prisma, communityId)).toEqual(GOOD_ROSTER);
  });

  it('dry run counts what would happen and writes nothing', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const dry = await importFile(communityId, fixture('good-zh.csv'), { dryRun: true });
    expect(dry).toEqual({ ok: true, dryRun: true, rows: 6, counts: GOOD_FIRST_COUNTS, notInFile: [], ignoredColumns: [] });
    expect(await db.prisma.household.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.resident.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.area.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.householdGroup.count({ where: { communityId } })).toBe(0);
    // …and a real import then does exactly what the dry run said.
    expect(await importFile(communityId, fixture('good-zh.csv'))).toMatchObject({ dryRun: false, counts: GOOD_FIRST_COUNTS });
  });

  it('counts a changed phone and a household moved to another area as updated', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    const changed = readFileSync(fixture('good-zh.csv'), 'utf8')
      .replace('138 0013 8000', '13900001234')
      .replace('0004,楼寓/1号楼,', '0004,楼寓/2号楼,');
    const file = join(folder.dir, 'changed.csv');
    writeFileSync(file, changed);
    const result = await importFile(communityId, file);
    expect(result).toMatchObject({
      ok: true,
      counts: {
        households: { created: 0, updated: 1, unchanged: 3 },
        residents: { created: 0, updated: 1, unchanged: 5 },
        areas: { created: 1, updated: 0, unchanged: 4 },
        groups: { created: 0, updated: 0, unchanged: 2 },
      },
    });
    const stored = await storedRoster(db.prisma, communityId);
    expect(stored.households[0]!.members[0]).toMatchObject({ name: '张秀兰', phone: '13900001234' });
    expect(stored.households[3]).toMatchObject({ code: '0004', area: '楼寓/2号楼' });
    // The old area stays: other households (or staff roles) may still point at it.
    expect(stored.areas).toContain('2:楼寓/1号楼');
  });

  it('keeps members the file no longer lists, reports them, and orders them after the listed ones', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    const kept = await db.prisma.resident.findFirstOrThrow({ where: { communityId, name: '张秀兰' } });
    // 张秀兰 (the G01 head) leaves the file; 王芳 becomes the head.
    const lines = readFileSync(fixture('good-zh.csv'), 'utf8').split('\n');
    const without = [lines[0], ...lines.slice(2)].join('\n').replace('王芳,010-6512-3456,1980,,G01,否', '王芳,010-6512-3456,1980,,G01,是');
    const file = join(folder.dir, 'without.csv');
    writeFileSync(file, without);
    const result = await importFile(communityId, file);
    expect(result).toMatchObject({
      ok: true,
      rows: 5,
      counts: {
        households: { created: 0, updated: 0, unchanged: 4 },
        // 李建国 moves up to position 0.
        residents: { created: 0, updated: 1, unchanged: 4 },
        groups: { created: 0, updated: 1, unchanged: 1 },
      },
      notInFile: [{ householdCode: '0001', name: '张秀兰', residentId: kept.id }],
    });
    const stored = await storedRoster(db.prisma, communityId);
    expect(stored.households[0]!.members.map((m) => [m.name, m.position])).toEqual([
      ['李建国', 0],
      ['张秀兰', 1],
    ]);
    expect(stored.heads).toEqual({ G01: '0002/王芳', G02: '0003/赵磊' });
    // Importing the same file again: nothing to do, the kept member still reported.
    expect(await importFile(communityId, file)).toMatchObject({
      counts: { residents: { created: 0, updated: 0, unchanged: 5 }, groups: { created: 0, updated: 0, unchanged: 2 } },
      notInFile: [{ householdCode: '0001', name: '张秀兰' }],
    });
  });

  it('moves a head into a new group: the group the file no longer mentions loses that head', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await importFile(communityId, fixture('good-zh.csv'));
    const file = join(folder.dir, 'regroup.csv');
    writeFileSync(
      file,
      ['户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言', '0001,平房区/团结巷/3号院,团结巷3号院1号,张秀兰,13800138000,1948,老年、低保,G09,是,中文'].join('\n'),
    );
    const result = await importFile(communityId, file);
    expect(result).toMatchObject({
      ok: true,
      counts: { households: { updated: 1 }, groups: { created: 1, updated: 1, unchanged: 0 } },
      notInFile: [{ householdCode: '0001', name: '李建国' }],
    });
    const stored = await storedRoster(db.prisma, communityId);
    expect(stored.heads).toEqual({ G01: null, G02: '0003/赵磊', G09: '0001/张秀兰' });
  });

  it('two imports of the same file at once: one creates, the other finds everything unchanged', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const results = await Promise.all([importFile(communityId, fixture('good-zh.csv')), importFile(communityId, fixture('good-en.csv'))]);
    const counts = results.map((r) => (r.ok ? r.counts : r.problems));
    expect(counts).toContainEqual(GOOD_FIRST_COUNTS);
    expect(counts).toContainEqual(GOOD_UNCHANGED_COUNTS);
    expect(await storedRoster(db.prisma, communityId)).toEqual(GOOD_ROSTER);
  });

  it('reports progress through every phase, ending with everything written', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const seen: RosterProgress[] = [];
    await importFile(communityId, fixture('good-zh.csv'), { onProgress: (p) => seen.push(p) });
    expect([...new Set(seen.map((p) => p.phase))]).toEqual(['read', 'check', 'load', 'write']);
    const last = seen.at(-1)!;
    // 5 areas + 2 groups + 4 households + 6 residents + 2 heads.
    expect(last).toEqual({ phase: 'write', done: 19, total: 19 });
    for (const p of seen) expect(p.done).toBeLessThanOrEqual(p.total);
  });

  it('applies rows already read (the demo seed) and records the import in the audit log, counts only', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const rows = [
      { line: 2, householdCode: 'A-1', areaPath: '楼寓/2号楼', address: '2号楼101', memberName: '钱七', phone: '', birthYear: '', flags: 'elderly', groupCode: '', groupHead: '', language: '' },
      { line: 3, householdCode: 'A-1', areaPath: '楼寓/2号楼', address: '2号楼101', memberName: '钱八', phone: '13511112222', birthYear: '2001', flags: 'elderly', groupCode: '', groupHead: '', language: 'zh-CN' },
    ];
    const result = await applyRoster({ prisma: db.prisma, communityId, rows, translator, audit: { actor: { kind: 'operator' } } });
    expect(result).toMatchObject({ ok: true, counts: { households: { created: 1 }, residents: { created: 2 }, areas: { created: 2 } } });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { communityId } });
    expect(audit).toMatchObject({ action: 'household.import', via: 'cli', actorId: null, subjectType: 'community', subjectId: communityId });
    expect(JSON.stringify(audit.details)).not.toContain('钱');
    expect(audit.details).toMatchObject({ rows: 2, households: { created: 1 }, notInFile: 0 });
  });

  it('refuses an import by someone who may not import the roster, and writes nothing', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    const rows = [
      { line: 2, householdCode: 'A-9', areaPath: '楼寓/9号楼', address: '9号楼101', memberName: '孙九', phone: '', birthYear: '', flags: '', groupCode: '', groupHead: '', language: '' },
    ];
    const resident: Actor = { kind: 'person', communityId, residentId: 'r-1', householdId: null, headOfGroupId: null, roles: [] };
    await expect(applyRoster({ prisma: db.prisma, communityId, rows, translator, audit: { actor: resident } })).rejects.toThrow();
    expect(await db.prisma.household.count({ where: { communityId } })).toBe(0);
    expect(await db.prisma.auditLog.count({ where: { communityId } })).toBe(0);
  });

  it('leaves staff who live elsewhere (no household) alone', async () => {
    const communityId = (await seedCommunity(db.prisma)).id;
    await db.prisma.resident.create({ data: { communityId, name: '张秀兰', phone: '13000000000' } });
    await importFile(communityId, fixture('good-zh.csv'));
    const staff = await db.prisma.resident.findMany({ where: { communityId, householdId: null } });
    expect(staff).toMatchObject([{ name: '张秀兰', phone: '13000000000' }]);
  });
});
