/**
 * `linli fund …` against a real database with a community made by the demo seed: setting the
 * fund up, contributions recorded and imported (a bad file imports nothing and names every bad
 * line), expenses below, at and above the threshold, the committee's per-item decision (refused,
 * and audited, for anyone else), the balance that leaves an undecided expense out, and a
 * household's contact card whose QR codes decode to the bot's deep link and the web chat.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';
import { writeXlsx } from '../../src/features/community/roster/roster-xlsx.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true), isTTY: false }, text: () => text };
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** The QR code in one part of a PNG (x from `left` to `right` as shares of the width), or null. */
function qrIn(png: PNG, left: number, right: number): string | null {
  const x0 = Math.floor(png.width * left);
  const width = Math.floor(png.width * right) - x0;
  const data = new Uint8ClampedArray(width * png.height * 4);
  for (let y = 0; y < png.height; y++) {
    const from = (y * png.width + x0) * 4;
    data.set(png.data.subarray(from, from + width * 4), y * width * 4);
  }
  return jsQR(data, width, png.height)?.data ?? null;
}

describe.each(databaseTargets())('linli fund on %s', (target) => {
  let db: TestDatabase;
  let dir: string;
  const slug = `fund-${Math.random().toString(36).slice(2, 8)}`;
  let bungalow: string[] = [];
  let building: string;

  const linli = async (args: string[], locale = 'zh-CN'): Promise<Run> => {
    const out = capture();
    const err = capture();
    const code = await runLinli(args, { env: { LINLI_LOCALE: locale, COMMUNITY_SLUG: slug }, stdout: out.stream, stderr: err.stream, database: db });
    return { code, stdout: out.text(), stderr: err.text() };
  };
  const communityId = async () => (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;
  const contributions = async () => db.prisma.fundContribution.count({ where: { fund: { communityId: await communityId() } } });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    dir = await mkdtemp(join(tmpdir(), 'linli-fund-'));
    expect((await linli(['demo', 'seed', '--households', '60', '--seed', '7'])).code).toBe(0);
    const id = await communityId();
    const households = await db.prisma.household.findMany({ where: { communityId: id }, orderBy: { code: 'asc' }, select: { code: true, area: { select: { path: true } } } });
    bungalow = households.filter((h) => h.area.path.startsWith('平房区/')).map((h) => h.code);
    building = households.find((h) => !h.area.path.startsWith('平房区/'))!.code;
    expect(bungalow.length).toBeGreaterThan(5);
    for (const [name, phone, role, area] of [
      ['钱委员', '13900000101', 'committee', null],
      ['孙片长', '13900000102', 'steward', '平房区'],
    ] as const) {
      const added = await linli(['staff', 'add', '--name', name, '--phone', phone, '--role', role, ...(area ? ['--area', area] : [])]);
      expect(added.stderr).toBe('');
    }
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks for a fund to be set up first, then sets one up for the bungalow area', async () => {
    const none = await linli(['fund', 'show']);
    expect(none.code).toBe(1);
    expect(lines(none.stderr)).toEqual(['还没有设立物业基金：请先执行 linli fund setup <片区>。']);

    const setup = await linli(['fund', 'setup', '平房区', '--threshold', '500', '--phone', '维修：13800000000', '--phone', '物业：0991-1234567']);
    expect(setup.stderr).toBe('');
    expect(lines(setup.stdout)).toEqual(['已为平房区设立物业基金。', '每户¥10.00；超过¥500.00的支出须一事一议；联系卡电话2个。']);
  });

  it('records a contribution, refusing a household outside the area and a receipt given twice', async () => {
    const paid = await linli(['fund', 'contribute', bungalow[0]!, '10', '--date', '2026-11-05', '--receipt', 'R-0001']);
    expect(paid.stderr).toBe('');
    expect(lines(paid.stdout)).toEqual([`已登记：户号${bungalow[0]}于2026-11-05缴纳¥10.00。`]);

    const outside = await linli(['fund', 'contribute', building, '10']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain(`户号${building}不在平房区片区内。`);

    const twice = await linli(['fund', 'contribute', bungalow[1]!, '10', '--receipt', 'R-0001']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('收据号R-0001已经登记过了。');

    const badAmount = await linli(['fund', 'contribute', bungalow[1]!, '10.001']);
    expect(badAmount.code).toBe(2);
    expect(await contributions()).toBe(1);
  });

  it('imports nothing from a file with bad lines, and names every one of them', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      ['户号,金额,缴费日期,收据号', `${bungalow[1]},10,2026-11-06,R-0002`, `${bungalow[2]},十元,2026-11-06,R-0003`, `H9999,10,2026-11-31,R-0004`, `${building},10,2026-11-06,R-0005`].join('\n'),
    );
    const run = await linli(['fund', 'import', file]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      '发现3个问题，未导入任何记录：',
      '第3行「金额」：「十元」不是有效金额：请写元，最多两位小数，如10或10.50。',
      '第4行「缴费日期」：「2026-11-31」不是有效日期：请写成2026-11-05的格式。',
      '第5行「户号」：户号' + building + '不在本基金的片区内。',
    ]);
    expect(await contributions()).toBe(1);
  });

  it('imports a good file with progress, and importing it again adds nothing', async () => {
    const file = join(dir, 'good.csv');
    await writeFile(
      file,
      ['Household code,Amount,Paid on,Receipt', `${bungalow[0]},10,2026-11-05,R-0001`, `${bungalow[1]},10,2026-11-06,R-0002`, `${bungalow[2]},¥10.00,2026-10-30,R-0003`].join('\n'),
    );
    const first = await linli(['fund', 'import', file], 'en');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Checking');
    expect(lines(first.stdout).at(-1)).toBe('3 line(s): 2 contribution(s) added (¥20.00), 1 recorded already.');
    const again = await linli(['fund', 'import', file], 'en');
    expect(lines(again.stdout).at(-1)).toBe('3 line(s): 0 contribution(s) added (¥0.00), 3 recorded already.');
    expect(await contributions()).toBe(3);
  });

  it('reads a spreadsheet too, with other words for the headers; a dry run writes nothing', async () => {
    const file = join(dir, 'contributions.xlsx');
    await writeXlsx(file, {
      name: '缴费',
      header: ['户号', '缴费金额', '日期', '收据编号', '备注'],
      rows: [
        [bungalow[3]!, 10, '2026-11-08', 'R-0006', '门口收取'],
        [bungalow[4]!, 12.5, '2026-11-09', 'R-0007', ''],
      ],
      textColumns: [0, 2, 3],
    });
    const dry = await linli(['fund', 'import', file, '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(lines(dry.stdout).slice(-2)).toEqual(['仅检查，未写入。', '共2行：新增2笔（¥22.50），已登记未变0笔。']);
    expect(await contributions()).toBe(3);
    expect(lines((await linli(['fund', 'import', file])).stdout).at(-1)).toBe('共2行：新增2笔（¥22.50），已登记未变0笔。');
    expect(await contributions()).toBe(5);
  });

  it('records expenses: at the threshold spent at once, above it waiting for the decision and not counted', async () => {
    expect(lines((await linli(['fund', 'spend', '5', '更换路灯灯泡', '--date', '2026-11-10'])).stdout)).toEqual(['已登记支出#1：¥5.00 更换路灯灯泡']);
    const atThreshold = await linli(['fund', 'spend', '500', '疏通巷道下水', '--date', '2026-11-12']);
    expect(lines(atThreshold.stdout)).toEqual(['已登记支出#2：¥500.00 疏通巷道下水']);
    const above = await linli(['fund', 'spend', '500.01', '更换主水管', '--date', '2026-11-20']);
    expect(lines(above.stdout)[1]).toContain('须居委会一事一议');
    const expense = await db.prisma.fundExpense.findFirstOrThrow({ where: { number: 3, fund: { communityId: await communityId() } } });
    expect(expense.status).toBe('pending');

    const show = await linli(['fund', 'show', '--month', '2026-11']);
    expect(show.stderr).toBe('');
    // 52.50 yuan in, 505 out: the 500.01 waiting for the decision is not spent.
    expect(lines(show.stdout).slice(0, 3)).toEqual([
      '平房区物业基金，2026年11月',
      '余额¥-452.50（累计收入¥52.50，累计支出¥505.00）',
      `本月：上月结余¥10.00，收入¥42.50（4/${bungalow.length}户），支出¥505.00，月末结余¥-452.50`,
    ]);
    expect(show.stdout).toContain('待一事一议：1项，共¥500.01');
  });

  it('lets only a committee member decide, auditing the refusal, once', async () => {
    const steward = await linli(['fund', 'decide', '3', 'approve', '--member', '孙片长']);
    expect(steward.code).toBe(1);
    expect(steward.stderr).toContain('您目前的职务不能办理这件事');
    const refusal = await db.prisma.auditLog.findFirst({ where: { communityId: await communityId(), action: 'fund.expense_decided' }, orderBy: { createdAt: 'desc' } });
    expect(refusal).toMatchObject({ via: 'cli', details: { denied: true, reason: 'role_required', number: 3 } });

    const committee = await linli(['fund', 'decide', '3', 'approve', '--member', '钱委员']);
    expect(committee.stderr).toBe('');
    expect(lines(committee.stdout)).toEqual(['支出#3（¥500.01）已批准，计入支出。']);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { communityId: await communityId(), action: 'fund.expense_decided', subjectType: 'fund_expense' } });
    expect(audit).toMatchObject({ via: 'cli', details: { decision: 'approve', number: 3, amountFen: 50001 } });

    const again = await linli(['fund', 'decide', '3', 'reject', '--member', '钱委员']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已经决定过了');
    expect(lines((await linli(['fund', 'show', '--month', '2026-11'])).stdout)[1]).toBe('余额¥-952.51（累计收入¥52.50，累计支出¥1005.01）');
  });

  it("writes a household's contact card whose QR codes open the bot with a binding code and the web chat", async () => {
    const file = join(dir, 'card.png');
    const run = await linli(['fund', 'card', bungalow[0]!, file, '--bot', 'linli_demo_bot', '--web', 'https://linli.example.org']);
    expect(run.stderr).toBe('');
    const code = /绑定码(\S+)，/.exec(run.stdout)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const png = PNG.sync.read(await readFile(file));
    expect(png.width).toBe(1000);
    expect(qrIn(png, 0, 0.5)).toBe(`https://t.me/linli_demo_bot?start=${code}`);
    expect(qrIn(png, 0.5, 1)).toBe('https://linli.example.org/chat');
    const invite = await db.prisma.inviteCode.findFirst({ where: { household: { code: bungalow[0]! } }, orderBy: { createdAt: 'desc' } });
    // Valid 30 days from when it was made.
    expect(invite!.expiresAt.getTime() - invite!.createdAt.getTime()).toBe(30 * 24 * 3600_000);

    const outside = await linli(['fund', 'card', building, join(dir, 'other.png'), '--web', 'https://linli.example.org']);
    expect(outside.code).toBe(1);
    const noLink = await linli(['fund', 'card', bungalow[0]!, file]);
    expect(noLink.code).toBe(2);

    // Without a code the link only opens the bot, and no binding code is made.
    const codes = await db.prisma.inviteCode.count();
    const plain = await linli(['fund', 'card', bungalow[1]!, file, '--bot', 'linli_demo_bot', '--no-code'], 'en');
    expect(plain.stderr).toBe('');
    expect(qrIn(PNG.sync.read(await readFile(file)), 0, 1)).toBe('https://t.me/linli_demo_bot');
    expect(await db.prisma.inviteCode.count()).toBe(codes);
  });

  it('changes the terms of a fund set up before, and names an area that has none', async () => {
    const again = await linli(['fund', 'setup', '平房区', '--threshold', '600'], 'en');
    expect(lines(again.stdout)).toEqual(['Property fund of 平房区 updated.', '¥10.00 per household; expenses above ¥600.00 are decided one by one; 2 number(s) for the contact card.']);
    const none = await linli(['fund', 'show', '--area', '楼寓']);
    expect(none.code).toBe(1);
    expect(lines(none.stderr)).toEqual(['楼寓还没有设立物业基金。']);
  });
});
