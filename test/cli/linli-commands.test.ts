/**
 * The `linli` commands run in this process against a real test database (child processes are in
 * linli-process.test.ts): what the operator reads — in Chinese or English — and what changes in
 * the database, for staff, invitations, binding requests, the demo seed and roster imports.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(isTTY: boolean) {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true), isTTY }, text: () => text };
}

/** Non-empty lines. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe.each(databaseTargets())('linli commands on %s', (target) => {
  let db: TestDatabase;
  let dir: string;
  const slug = `cli-${Math.random().toString(36).slice(2, 8)}`;

  const linli = async (args: string[], options: { locale?: string; tty?: boolean } = {}): Promise<Run> => {
    const out = capture(options.tty ?? false);
    const err = capture(false);
    const code = await runLinli(args, {
      env: { LINLI_LOCALE: options.locale ?? 'zh-CN', COMMUNITY_SLUG: slug },
      stdout: out.stream,
      stderr: err.stream,
      database: db,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  };
  const communityId = async () => (await db.prisma.community.findUniqueOrThrow({ where: { slug } })).id;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    dir = await mkdtemp(join(tmpdir(), 'linli-cli-'));
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds a small demo community, showing the counts, and says so when a second seed changes nothing', async () => {
    const first = await linli(['demo', 'seed', '--households', '60', '--seed', '5']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('正在生成演示社区（种子5，60户，169人）');
    expect(first.stdout).toContain('住户：新增60，更新0，未变0');
    expect(first.stdout).toMatch(/社区现有60户住户、169位居民、6个十户联包组（6个有十户长）、\d+名工作人员、12名便民服务队员。/);
    expect(first.stdout).toContain('演示社区已就绪');

    const again = await linli(['demo', 'seed', '--households', '60', '--seed', '5'], { locale: 'en' });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Households: 0 new, 0 updated, 60 unchanged');
    expect(again.stdout).toMatch(/Roles: 0 new, 0 updated, \d+ unchanged/);
    expect(again.stdout).toContain('The demo community was already there: nothing changed');
  });

  it('refuses a bad seed option as a usage error, before touching the database', async () => {
    const run = await linli(['demo', 'seed', '--households', 'many'], { locale: 'en' });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['--households "many" is not valid: it must be a whole number from 1 to 50000']);
  });

  it('adds staff with a binding code, and lists them with their phones masked', async () => {
    const steward = await linli(['staff', 'add', '--name', '赵新', '--phone', '13900000001', '--role', 'steward', '--area', '平房区/团结巷']);
    expect(steward.stderr).toBe('');
    expect(steward.code).toBe(0);
    expect(lines(steward.stdout)).toEqual([
      '已登记：赵新，包片干部',
      '此人不在花名册中，已作为不住本社区的人员登记',
      '负责片区：平房区/团结巷',
      '任期不限',
      expect.stringMatching(/^一次性绑定码：[A-Z2-9]{4}-[A-Z2-9]{4}（只显示这一次）$/),
      expect.stringMatching(/^有效期至\d{4}-\d\d-\d\d \d\d:\d\d$/),
      expect.stringContaining('请把绑定码交给本人'),
    ]);

    const team = await linli(['staff', 'add', '--name', '钱师傅', '--role', 'service_team', '--skills', 'plumbing,heating', '--phone', '13900000002'], {
      locale: 'en',
    });
    expect(team.code).toBe(0);
    expect(team.stdout).toContain('Added: 钱师傅, service-team member');
    expect(team.stdout).toContain('Skills: plumbing, heating');

    const committee = await linli(['staff', 'add', '--name', '孙主任', '--role', 'committee', '--phone', '13900000003']);
    expect(committee.stdout).toMatch(/任期至\d{4}-\d\d-\d\d/);
    const endYear = Number(/任期至(\d{4})/.exec(committee.stdout)![1]);
    expect(endYear - new Date().getFullYear()).toBe(3);

    const again = await linli(['staff', 'add', '--name', '孙主任', '--role', 'committee', '--phone', '13900000003']);
    expect(again.stdout).toContain('孙主任已担任居委会委员，未作改动');

    const list = await linli(['staff', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('包片干部（');
    expect(list.stdout).toMatch(/ {2}赵新 {2}139\*\*\*\*0001 {2}非本社区居民 {2}平房区\/团结巷/);
    expect(list.stdout).toMatch(/ {2}钱师傅 {2}139\*\*\*\*0002 {2}非本社区居民 {2}水暖、供暖/);
    expect(list.stdout).not.toMatch(/1390000000\d/);
    // Roles come in the vocabulary's order: committee before stewards before the service team.
    const order = ['居委会委员（', '包片干部（', '便民服务队员（'].map((heading) => list.stdout.indexOf(heading));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it.each([
    [['staff', 'add', '--name', '某人', '--role', 'steward'], 'zh-CN', '包片干部必须用 --area 指定负责的片区，如 --area 平房区/团结巷'],
    [['staff', 'add', '--name', '某人', '--role', 'service_team'], 'en', 'A service-team member needs --skills; choose from: plumbing (plumbing), '],
    [['staff', 'add', '--name', '某人', '--role', 'liaison', '--skills', 'plumbing'], 'en', 'The role liaison has no skills'],
    [['staff', 'add', '--name', '某人', '--role', 'mayor'], 'zh-CN', '没有“mayor”这个职务，可选：committee (居委会委员), steward (包片干部)'],
    [['staff', 'add', '--name', '某人', '--role', 'committee', '--ends', '2020-01-01'], 'zh-CN', '任期结束日2020-01-01已经过去'],
    [['staff', 'add', '--name', '某人', '--role', 'committee', '--phone', '12345'], 'en', '"12345" is not a valid phone number'],
    [['staff', 'add', '--name', '某人'], 'zh-CN', '缺少必填选项“--role”（用法见“linli staff add --help”）'],
    [['staff', 'add', '--name', '某人', '--role', 'committee', '--days', '0'], 'en', '--days "0" is not valid: it must be a whole number from 1 to 365'],
  ])('staff add %j → one line in %s, exit code 2, nothing written', async (args, locale, message) => {
    const before = await db.prisma.roleAssignment.count();
    const run = await linli(args, { locale });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(await db.prisma.roleAssignment.count()).toBe(before);
  });

  it('refuses an area that does not exist and a name shared by several people, with exit code 1', async () => {
    const area = await linli(['staff', 'add', '--name', '某人', '--role', 'steward', '--area', '平房区/无此巷']);
    expect(area.code).toBe(1);
    expect(lines(area.stderr)).toEqual(['没有片区“平房区/无此巷”，请先导入花名册，或检查路径（如 平房区/团结巷）']);

    const id = await communityId();
    const household = await db.prisma.household.findFirstOrThrow({ where: { communityId: id }, select: { id: true, code: true } });
    const other = await db.prisma.household.findFirstOrThrow({ where: { communityId: id, id: { not: household.id } }, select: { id: true } });
    await db.prisma.resident.createMany({
      data: [
        { communityId: id, householdId: household.id, name: '同名人', phone: '13900000011', position: 50 },
        { communityId: id, householdId: other.id, name: '同名人', phone: '13900000012', position: 50 },
      ],
    });
    const shared = await linli(['staff', 'add', '--name', '同名人', '--role', 'liaison'], { locale: 'en' });
    expect(shared.code).toBe(1);
    expect(lines(shared.stderr)).toEqual(['2 people in the community are called 同名人: add --phone to say which one']);
    const chosen = await linli(['staff', 'add', '--name', '同名人', '--role', 'liaison', '--phone', '13900000011'], { locale: 'en' });
    expect(chosen.stdout).toContain(`A resident of household ${household.code}`);
  });

  it('prints a one-time code for a household, valid seven days or --days, and refuses an unknown household', async () => {
    const id = await communityId();
    const household = await db.prisma.household.findFirstOrThrow({ where: { communityId: id }, select: { id: true, code: true } });
    const before = Date.now();
    const run = await linli(['invite', household.code]);
    const after = Date.now();
    expect(run.code).toBe(0);
    const code = /一次性绑定码：([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(run.stdout)?.[1];
    expect(code).toBeDefined();
    const stored = await db.prisma.inviteCode.findMany({ where: { communityId: id, householdId: household.id } });
    expect(stored).toHaveLength(1);
    // Seven days from the moment it was made, however long the command took.
    expect(stored[0]!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(stored[0]!.expiresAt.getTime()).toBeLessThanOrEqual(after + 7 * 86_400_000);
    // The code is never stored in the clear.
    expect(JSON.stringify(stored)).not.toContain(code!.replace('-', ''));

    const short = await linli(['invite', household.code, '--days', '2'], { locale: 'en' });
    expect(short.stdout).toMatch(/One-time binding code: [A-Z2-9]{4}-[A-Z2-9]{4} \(shown only this once\)/);
    const latest = await db.prisma.inviteCode.findFirstOrThrow({ where: { householdId: household.id }, orderBy: { createdAt: 'desc' } });
    expect(Math.round((latest.expiresAt.getTime() - latest.createdAt.getTime()) / 86_400_000)).toBe(2);

    const codesBefore = await db.prisma.inviteCode.count({ where: { communityId: id } });
    const unknown = await linli(['invite', 'NOPE-1']);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(['没有户号为NOPE-1的住户']);
    expect(await db.prisma.inviteCode.count({ where: { communityId: id } })).toBe(codesBefore);
  });

  it('approves and rejects binding requests by number, once each', async () => {
    const id = await communityId();
    const household = await db.prisma.household.findFirstOrThrow({ where: { communityId: id }, select: { id: true, code: true } });
    const request = async (number: number, name: string) => {
      const account = await db.prisma.chatAccount.create({ data: { communityId: id, channel: 'web', externalId: `visitor-${number}-${slug}` } });
      await db.prisma.bindingRequest.create({
        data: { communityId: id, number, chatAccountId: account.id, name, address: '某巷1号', phone: `1390000010${number}` },
      });
      return account.id;
    };
    const accountId = await request(1, '新住户');
    await request(2, '陌生人');

    const approved = await linli(['approve', '1', '--household', household.code]);
    expect(approved.stderr).toBe('');
    expect(lines(approved.stdout)).toEqual(['已批准第1号申请：此人已加入该户并完成绑定。', '申请人会在聊天中收到通知。']);
    const account = await db.prisma.chatAccount.findUniqueOrThrow({ where: { id: accountId }, select: { resident: { select: { householdId: true, name: true } } } });
    expect(account.resident).toEqual({ householdId: household.id, name: '新住户' });

    const twice = await linli(['approve', '#1'], { locale: 'en' });
    expect(twice.code).toBe(1);
    expect(lines(twice.stderr)).toEqual(['Request 1 was approved before: nothing changed']);

    const needsHousehold = await linli(['approve', '2']);
    expect(needsHousehold.code).toBe(1);
    expect(needsHousehold.stderr).toContain('请用 --household <户号> 指明住户');

    const rejected = await linli(['reject', '2'], { locale: 'en' });
    expect(lines(rejected.stdout)).toEqual(['Request 2 rejected.', 'The person will be told in chat.']);
    expect(await db.prisma.bindingRequest.findFirstOrThrow({ where: { communityId: id, number: 2 }, select: { status: true } })).toEqual({ status: 'rejected' });

    const missing = await linli(['reject', '99']);
    expect(missing.code).toBe(1);
    expect(lines(missing.stderr)).toEqual(['没有第99号绑定申请']);
    const bad = await linli(['approve', 'seventeen'], { locale: 'en' });
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual(['"seventeen" is not a request number (a whole number above 0, e.g. 17)']);
  });

  it('binding resume lifts a pause of binding early, audited as the office; with none running it says so', async () => {
    const id = await communityId();
    const nothing = await linli(['binding', 'resume']);
    expect([nothing.code, lines(nothing.stdout)]).toEqual([0, ['绑定现在没有暂停，未作改动。']]);
    const until = new Date(Date.now() + 10 * 60_000);
    const closing = await db.prisma.auditLog.create({
      data: { communityId: id, via: 'system', action: 'binding.closed', subjectType: 'community', subjectId: id, details: { wrongCodes: 50, until: until.toISOString() } },
    });
    await db.prisma.bindCodeMiss.createMany({ data: [1, 2, 3].map((i) => ({ communityId: id, origin: `account:x${i}`, at: new Date() })) });
    const resumed = await linli(['binding', 'resume'], { locale: 'en' });
    expect(resumed.stderr).toBe('');
    expect(lines(resumed.stdout)).toEqual([expect.stringMatching(/^Binding is open again \(it was paused until \d{4}-\d\d-\d\d \d\d:\d\d\)\. Residents can bind with their codes now\.$/)]);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { communityId: id, action: 'binding.resumed' } });
    expect([audit.via, audit.details]).toEqual(['cli', { closedAuditId: closing.id, wrongCodesForgotten: 3 }]);
    expect(await db.prisma.bindCodeMiss.count({ where: { communityId: id } })).toBe(0);
    expect(lines((await linli(['binding', 'resume'])).stdout)).toEqual(['绑定现在没有暂停，未作改动。']);
  });

  it('imports a roster dry run (counts, nothing written) and for real, with a progress line every tenth off a terminal', async () => {
    const file = join(dir, 'extra.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `X${String(i).padStart(3, '0')},平房区/新建巷/1号院,新建巷1号院${i}号,住户${i},,1960,,,,`);
    await writeFile(file, ['户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言', ...rows].join('\n'));
    const id = await communityId();
    const before = await db.prisma.household.count({ where: { communityId: id } });

    const dry = await linli(['roster', 'import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('试运行：以下是导入将做的更改，没有写入任何数据。');
    expect(dry.stdout).toContain('住户：新增40，更新0，未变0');
    expect(await db.prisma.household.count({ where: { communityId: id } })).toBe(before);

    const real = await linli(['roster', 'import', file], { locale: 'en' });
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('Households: 40 new, 0 updated, 0 unchanged');
    const progress = lines(real.stdout).filter((line) => /: \d+% \(/.test(line));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(20);
    expect(progress.at(-1)).toMatch(/: 100% \(/);
    expect(await db.prisma.household.count({ where: { communityId: id } })).toBe(before + 40);
  });

  it('draws a progress bar when stdout is a terminal', async () => {
    const file = join(dir, 'extra.csv');
    const run = await linli(['roster', 'import', file], { tty: true, locale: 'en' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\[[█░]+\] 100%/);
    expect(run.stdout).toContain('Households: 0 new, 0 updated, 40 unchanged');
  });

  it('exports the roster and reports where', async () => {
    const file = join(dir, 'out.xlsx');
    const run = await linli(['roster', 'export', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/已导出\d+户、\d+位居民。/);
    expect(run.stdout).toContain(`已写入${file}`);
    const missingFolder = await linli(['roster', 'export', join(dir, 'no', 'such', 'folder', 'out.csv')], { locale: 'en' });
    expect(missingFolder.code).toBe(1);
    expect(lines(missingFolder.stderr)).toEqual([expect.stringMatching(/^Cannot write .*out\.csv \(ENOENT\)/)]);
  });

  it('shows a household with phone numbers masked, and reveals one number only on request, in the audit log', async () => {
    const id = await communityId();
    const household = await db.prisma.household.findFirstOrThrow({
      where: { communityId: id, residents: { some: { phone: { not: null } } } },
      select: { code: true, residents: { where: { phone: { not: null } }, select: { id: true, name: true, phone: true }, take: 1 } },
    });
    const [member] = household.residents;
    const phone = member!.phone!;
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;

    const shown = await linli(['household', 'show', household.code]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${household.code}户：`);
    expect(shown.stdout).toContain(masked);
    expect(shown.stdout).not.toContain(phone);
    const auditBefore = await db.prisma.auditLog.count({ where: { communityId: id, action: 'resident.reveal_phone', subjectId: member!.id } });
    expect(auditBefore).toBe(0);

    const revealed = await linli(['household', 'show', household.code, '--reveal', member!.name], { locale: 'en' });
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toContain(`Full phone number of ${member!.name}: ${phone} (this look-up is recorded in the audit log)`);
    const audit = await db.prisma.auditLog.findMany({ where: { communityId: id, action: 'resident.reveal_phone', subjectId: member!.id } });
    expect(audit).toMatchObject([{ via: 'cli', actorId: null }]);

    const nobody = await linli(['household', 'show', household.code, '--reveal', '不存在的人'], { locale: 'en' });
    expect(nobody.code).toBe(1);
    expect(lines(nobody.stderr)).toEqual([`Household ${household.code} has no member called 不存在的人`]);
  });

  it('names a household’s priority flags in the operator’s language, listed the way that language lists', async () => {
    const id = await communityId();
    const household = await db.prisma.household.findFirstOrThrow({ where: { communityId: id }, select: { id: true, code: true } });
    await db.prisma.household.update({ where: { id: household.id }, data: { flags: ['elderly', 'low_income'] } });
    expect((await linli(['household', 'show', household.code], { locale: 'en' })).stdout).toContain('Priority: elderly, low income\n');
    expect((await linli(['household', 'show', household.code])).stdout).toContain('老年、低保');
  });
});
