/**
 * `linli` as an operator runs it: a real child process (`bin/linli.js`, as `npx linli` starts
 * it) on the embedded database in a data directory of its own (restored from the migrated test
 * snapshot). Help and messages in the
 * operator's language (LINLI_LOCALE, else LANG), a template, a bad import with every problem
 * named by row and column in Chinese and in English, a good import and an invitation code,
 * staff input errors caught before any database is opened, and the one line an operator gets
 * while the app holds the database. With TEST_DATABASE_URL, also once on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { newPglite } from '../../src/db/pglite-modules.js';
import { migratedPgliteSnapshot } from '../support/pglite-snapshot.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const linliBin = join(projectRoot, 'bin', 'linli.js');
/** A first run creates and migrates the embedded database: slow on a busy two-core machine. */
const FIRST_RUN_MS = 180_000;
const RUN_MS = 90_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The shell of an operator: no Linli settings and no language settings but the ones given. */
function operatorEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of Object.keys(configSchema.shape)) delete clean[setting];
  for (const name of Object.keys(clean)) if (name.startsWith('VITEST') || name === 'NODE_ENV') delete clean[name];
  for (const name of ['LINLI_LOCALE', 'LC_ALL', 'LC_MESSAGES', 'LANG']) delete clean[name];
  return { ...clean, ...env };
}

function linli(args: string[], env: Record<string, string>, cwd = projectRoot): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [linliBin, ...args], { cwd, env: operatorEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('linli as a child process on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-bin-'));
  const dataDir = join(dir, 'data');
  /** Where commands that need no database run: it must never come into being. */
  const unusedDataDir = join(dir, 'never-created');
  const zh = { DATA_DIR: dataDir, LANG: 'zh_CN.UTF-8' };
  const en = { DATA_DIR: dataDir, LANG: 'zh_CN.UTF-8', LINLI_LOCALE: 'en' };
  const zhNoDb = { ...zh, DATA_DIR: unusedDataDir };
  const enNoDb = { ...en, DATA_DIR: unusedDataDir };

  beforeAll(async () => {
    // An already migrated embedded database (the app's first start migrates; that is tested
    // with the app): saves a slow first run on a busy machine.
    await mkdir(dataDir, { recursive: true });
    const pglite = await newPglite({ dataDir: join(dataDir, 'pglite'), loadDataDir: await migratedPgliteSnapshot() });
    await pglite.waitReady;
    await pglite.close();
  }, FIRST_RUN_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows help in the language of LANG, or of LINLI_LOCALE when set, without opening the database', async () => {
    const [chinese, english, plainC] = await Promise.all([
      linli(['--help'], zhNoDb),
      linli(['--help'], { DATA_DIR: unusedDataDir, LANG: 'en_US.UTF-8' }),
      linli(['staff', '--help'], { DATA_DIR: unusedDataDir, LANG: 'C.UTF-8', LINLI_LOCALE: 'en' }),
    ]);
    expect(chinese.code).toBe(0);
    expect(chinese.stdout).toContain('邻里社区管理命令');
    expect(chinese.stdout).toMatch(/roster +花名册：模板、导入、导出/);
    expect(english.code).toBe(0);
    expect(english.stdout).toContain('Linli community administration');
    expect(plainC.stdout).toContain('staff and their roles');
    expect(existsSync(unusedDataDir)).toBe(false);
  }, RUN_MS);

  it('writes a template in the operator’s language, and refuses a file that is neither .xlsx nor .csv', async () => {
    const csv = join(dir, '模板.csv');
    const xlsx = join(dir, 'template.xlsx');
    const [chinese, english, wrong] = await Promise.all([
      linli(['roster', 'template', csv], zhNoDb),
      linli(['roster', 'template', xlsx], enNoDb),
      linli(['roster', 'template', join(dir, 'roster.txt')], enNoDb),
    ]);
    expect(chinese).toMatchObject({ code: 0, stderr: '' });
    expect(lines(chinese.stdout)).toEqual([`已写出花名册模板：${csv}`]);
    const text = await readFile(csv, 'utf8');
    expect(text.startsWith('\uFEFF户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言\r\n')).toBe(true);
    expect(english).toMatchObject({ code: 0, stderr: '' });
    expect((await readFile(xlsx)).subarray(0, 2).toString()).toBe('PK');
    expect(wrong.code).toBe(2);
    expect(lines(wrong.stderr)).toEqual(['".txt" files are not supported: use an .xlsx or .csv file.']);
    expect(existsSync(unusedDataDir)).toBe(false);
  }, RUN_MS);

  it('catches bad staff input before opening any database: one line, exit code 2', async () => {
    const [steward, skills, missing] = await Promise.all([
      linli(['staff', 'add', '--name', '王芳', '--role', 'steward'], zhNoDb),
      linli(['staff', 'add', '--name', 'Wang Fang', '--role', 'service_team', '--skills', 'welding'], enNoDb),
      linli(['staff', 'add', '--role', 'committee'], enNoDb),
    ]);
    expect(steward.code).toBe(2);
    expect(lines(steward.stderr)).toEqual(['包片干部必须用 --area 指定负责的片区，如 --area 平房区/团结巷']);
    expect(skills.code).toBe(2);
    expect(lines(skills.stderr)).toEqual([expect.stringMatching(/^There is no skill "welding"; choose from: plumbing \(plumbing\), electrical/)]);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(['Missing required option --name (see linli staff add --help)']);
    expect(steward.stdout + skills.stdout + missing.stdout).toBe('');
    expect(existsSync(unusedDataDir)).toBe(false);
  }, RUN_MS);

  it('lists every problem of a bad roster with its row and column, in Chinese and in English, and imports nothing', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      [
        '户号,片区,住址,姓名,电话,出生年份,优先类别,十户联包组,十户长,语言',
        'H1,平房区/团结巷/1号院,团结巷1号院1号,张三,12345,1950,老年,,,',
        'H2,平房区/团结巷/1号院,团结巷1号院2号,李四,,1980,宗教,,,',
        'H3,平房区/团结巷/1号院,团结巷1号院3号,,,1990,,,,',
      ].join('\n'),
    );
    const chinese = await linli(['roster', 'import', bad], zh);
    expect(chinese.code).toBe(1);
    expect(lines(chinese.stderr)).toEqual([
      '文件中有3处问题，没有导入任何数据：',
      '第2行「电话」：“12345”不是有效的电话号码：手机号为11位数字，座机号请带区号。',
      expect.stringMatching(/^第3行「优先类别」：无法识别的类别“宗教”/),
      '第4行「姓名」：不能为空。',
    ]);
    const english = await linli(['roster', 'import', bad], en);
    expect(english.code).toBe(1);
    expect(lines(english.stderr)).toEqual([
      'The file has 3 problem(s); nothing was imported:',
      'Row 2, Phone: "12345" is not a phone number: a mobile has 11 digits, a landline needs its area code.',
      expect.stringMatching(/^Row 3, Flags: unknown flag "宗教"/),
      'Row 4, Name: must not be empty.',
    ]);

    const database = await openDatabase({ dataDir });
    try {
      expect(await database.prisma.household.count()).toBe(0);
      expect(await database.prisma.community.findMany({ select: { slug: true, defaultLocale: true } })).toEqual([{ slug: 'default', defaultLocale: 'zh-CN' }]);
    } finally {
      await database.close();
    }
  }, FIRST_RUN_MS);

  it('imports the untouched template, then prints a one-time code for its household, from any folder', async () => {
    const imported = await linli(['roster', 'import', join(dir, '模板.csv')], zh);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('住户：新增1，更新0，未变0');

    // Typed in another folder, with DATA_DIR relative as in .env.example: still the project's
    // data folder (where `npm start` keeps it), not a new empty database beside the operator.
    const invite = await linli(['invite', '0001'], { ...en, DATA_DIR: relative(projectRoot, dataDir) }, dir);
    expect(invite.stderr).toBe('');
    expect(invite.code).toBe(0);
    expect(lines(invite.stdout)).toEqual([
      'Binding code for household 0001 (1 members):',
      expect.stringMatching(/^One-time binding code: [A-Z2-9]{4}-[A-Z2-9]{4} \(shown only this once\)$/),
      expect.stringMatching(/^Valid until \d{4}-\d\d-\d\d \d\d:\d\d$/),
      expect.stringContaining('Give the code to the household'),
    ]);
    const unknown = await linli(['invite', '9999'], zh);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(['没有户号为9999的住户']);
  }, RUN_MS);

  it('says in one line that the app holds the embedded database, and exits 1', async () => {
    // A lock held by a live Node process (this one), as the running app holds it.
    const lockFile = join(dataDir, 'pglite.lock');
    await writeFile(lockFile, `${process.pid}\n`);
    try {
      const run = await linli(['invite', '0001'], zh);
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        `嵌入式数据库（${join(dataDir, 'pglite')}）正被进程${process.pid}使用——邻里服务可能正在运行，请先停止它再执行此命令。`,
      ]);
      expect(run.stdout).toBe('');
      // The template needs no database: it still works.
      const template = await linli(['roster', 'template', join(dir, 'again.csv')], zh);
      expect(template.code).toBe(0);
    } finally {
      await unlink(lockFile);
    }
  }, RUN_MS);

  it('names an unknown command in one line with exit code 2', async () => {
    const run = await linli(['rooster'], en);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['Unknown command rooster (see linli --help)']);
  }, RUN_MS);
});

describe.runIf(process.env.TEST_DATABASE_URL)('linli as a child process on PostgreSQL (DATABASE_URL)', () => {
  const serverUrl = process.env.TEST_DATABASE_URL ?? '';
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linli-bin-pg-'));
    const url = new URL(serverUrl);
    url.searchParams.set('schema', schema);
    env = { DATABASE_URL: url.toString(), LINLI_SECRET: randomBytes(32).toString('hex'), DATA_DIR: join(dir, 'data'), LINLI_LOCALE: 'en' };
    expect((await linli(['roster', 'template', join(dir, 'roster.csv')], env)).code).toBe(0);
  }, RUN_MS);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });

  it('imports into the configured server schema and invites a household', async () => {
    const imported = await linli(['roster', 'import', join(dir, 'roster.csv')], env);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('Households: 1 new, 0 updated, 0 unchanged');
    const invite = await linli(['invite', '0001'], env);
    expect(invite.code).toBe(0);
    expect(invite.stdout).toMatch(/One-time binding code: [A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(existsSync(join(dir, 'data', 'pglite'))).toBe(false);
  }, FIRST_RUN_MS);
});
