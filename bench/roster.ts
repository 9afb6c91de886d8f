/**
 * `npm run bench:roster` — roster import at the seed community's scale (docs/domain.md, "The demonstration community": 3,076
 * households, 8,689 residents) on the embedded default and on PostgreSQL, against the target of
 * 10 s.
 *
 * A valid roster is generated deterministically (the same file every run) as .csv and .xlsx into
 * a temporary folder. Each file on each backend is measured in a process of its own (so its peak
 * RSS is its own), on a fresh, already migrated database, with the migration done beforehand in
 * this process so neither backend's measured process carries it:
 * - `embedded`: an in-memory PGlite started from a migrated snapshot, as the tests start theirs;
 * - `postgres`: a fresh schema on the server, migrated here and dropped afterwards. The measured
 *   process's RSS is the client's only; the server's own memory is not counted.
 * Each measured process imports into the empty database, imports the same file again (everything
 * unchanged) and exports. Printed: one table with a row per backend and step (seconds, rows per
 * second, the ratio to the 10 s target for imports, the process's peak RSS so far, households and
 * residents counted), per import also the time in each phase. A backend that cannot be reached is
 * reported as such and skipped.
 *
 * Settings (environment): BENCH_BACKENDS (embedded,postgres), BENCH_DATABASE_URL
 * (postgresql://postgres@127.0.0.1:5432/test), BENCH_HOUSEHOLDS (3076), BENCH_RESIDENTS (8689).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '../src/db/database.js';
import { exportRoster, importRoster, type RosterImportResult, type RosterProgress } from '../src/features/community/roster/index.js';
import { rosterTranslator } from '../src/features/community/roster/roster-locales.js';
import type { RosterRow } from '../src/features/community/roster/roster-row.js';
import { rosterWording } from '../src/features/community/roster/roster-vocabulary.js';
import { writeRosterFile, type RosterCells } from '../src/features/community/roster/roster-write.js';
import { migratedPgliteSnapshot } from '../test/support/pglite-snapshot.js';
import { displayUrl, dropSchemas, freshName, postgresProblem } from './bench-services.js';
import { mb, table } from './stats.js';

const TARGET_SECONDS = 10;
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 3076);
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 8689);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';

type BackendName = 'embedded' | 'postgres';
type Kind = 'csv' | 'xlsx';

const BACKEND_LABELS: Record<BackendName, string> = {
  embedded: 'embedded (PGlite in memory, from a migrated snapshot)',
  postgres: 'PostgreSQL (a fresh migrated schema per file, dropped afterwards)',
};

function backendList(raw: string | undefined): BackendName[] {
  const all = Object.keys(BACKEND_LABELS) as BackendName[];
  if (!raw) return all;
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!all.includes(name as BackendName)) throw new Error(`BENCH_BACKENDS may list: ${all.join(', ')} (got "${name}")`);
  }
  return names as BackendName[];
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** mulberry32: the same roster on every run and machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段'];
const GIVEN = [...'秀兰建国芳磊小雨明华丽强伟敏静军勇艳杰娟涛超霞平刚桂英玉梅志红海燕丹文辉鹏宇浩然子轩欣怡晨阳佳琪'];
const FLAG_WORDS = ['老年', '残疾', '患病', '低保', '优抚'];

/** A valid roster: households of 1–6 members in lanes, courtyards and buildings, in groups of ten. */
export function generateRoster(households: number, residents: number, yes: string, english: string): RosterCells[] {
  const random = seeded(20261126);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const sizes = Array.from({ length: households }, () => 1);
  for (let extra = residents - households; extra > 0; ) {
    const index = int(0, households - 1);
    if (sizes[index]! < 6) {
      sizes[index]!++;
      extra--;
    }
  }
  const rows: RosterCells[] = [];
  let phone = 13_000_000_000;
  for (let h = 0; h < households; h++) {
    const code = String(h + 1).padStart(4, '0');
    const bungalow = h % 3 !== 0;
    const areaPath = bungalow ? `平房区/${(h % 40) + 1}巷/${(h % 7) + 1}号院` : `楼寓/${(h % 30) + 1}号楼`;
    const address = bungalow ? `${(h % 40) + 1}巷${(h % 7) + 1}号院${h + 1}号` : `${(h % 30) + 1}号楼${Math.floor(h / 30) + 101}室`;
    const flags = FLAG_WORDS.filter(() => random() < 0.08).join('、');
    const groupCode = `G${String(Math.floor(h / 10) + 1).padStart(3, '0')}`;
    const surname = SURNAMES[int(0, SURNAMES.length - 1)]!;
    const names = new Set<string>();
    for (let m = 0; m < sizes[h]!; m++) {
      let name = surname + GIVEN[int(0, GIVEN.length - 1)]! + (random() < 0.6 ? GIVEN[int(0, GIVEN.length - 1)]! : '');
      while (names.has(name)) name += GIVEN[int(0, GIVEN.length - 1)]!;
      names.add(name);
      phone += int(1, 5_000);
      rows.push({
        householdCode: code,
        areaPath,
        address,
        memberName: name,
        phone: random() < 0.8 ? String(phone) : '',
        birthYear: String(int(1930, 2020)),
        flags,
        groupCode,
        groupHead: h % 10 === 0 && m === 0 ? yes : '',
        language: random() < 0.05 ? english : '',
      });
    }
  }
  return rows;
}

/** Seconds spent in each phase, from the progress reports. */
function phaseClock(): { listener: (p: RosterProgress) => void; report: () => string } {
  const spent = new Map<string, number>();
  let current: { phase: string; since: number } | undefined;
  const close = (now: number) => {
    if (current) spent.set(current.phase, (spent.get(current.phase) ?? 0) + now - current.since);
  };
  return {
    listener: (p) => {
      if (current?.phase === p.phase) return;
      const now = performance.now();
      close(now);
      current = { phase: p.phase, since: now };
    },
    report: () => {
      close(performance.now());
      current = undefined;
      return [...spent].map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`).join(', ');
    },
  };
}

interface Step {
  name: string;
  seconds: number;
  rows: number;
  target: boolean;
  peakRss: number;
  households: string;
  residents: string;
}

/** Where one measured process finds its database. */
type Where = { backend: 'embedded'; snapshotFile: string } | { backend: 'postgres'; databaseUrl: string; schema: string };

/** What one measured process is asked to do. */
interface Job {
  kind: Kind;
  file: string;
  dir: string;
  where: Where;
}

/** What one measured process reports back. */
interface Measured {
  backend: BackendName;
  kind: Kind;
  baselineRss: number;
  steps: Step[];
  lines: string[];
}

type Outcome =
  | { backend: BackendName; status: 'ok'; results: Measured[] }
  | { backend: BackendName; status: 'unreachable' | 'failed'; reason: string; results: Measured[] };

function summary(result: RosterImportResult): string {
  if (!result.ok) return `${result.problems.length} problems, first: ${JSON.stringify(result.problems[0])}`;
  const c = result.counts;
  const kinds = [
    ['households', c.households],
    ['residents', c.residents],
    ['areas', c.areas],
    ['groups', c.groups],
  ] as const;
  return kinds.map(([kind, n]) => `${kind} ${n.created} new / ${n.updated} updated / ${n.unchanged} unchanged`).join('; ');
}

/** "3,076 new", "8,689 unchanged" …: the non-zero parts of one kind's counts. */
function countCell(n: { created: number; updated: number; unchanged: number }): string {
  const parts = [
    [n.created, 'new'],
    [n.updated, 'updated'],
    [n.unchanged, 'unchanged'],
  ] as const;
  const shown = parts.filter(([count]) => count > 0).map(([count, word]) => `${count.toLocaleString('en')} ${word}`);
  return shown.length > 0 ? shown.join(', ') : '0';
}

async function openJobDatabase(job: Job): Promise<Database> {
  if (job.where.backend === 'embedded') {
    return openDatabase({ dataDir: tmpdir(), inMemory: true, loadDataDir: new Blob([readFileSync(job.where.snapshotFile)]) });
  }
  return openDatabase({ dataDir: job.dir, databaseUrl: job.where.databaseUrl, schema: job.where.schema });
}

/**
 * One file's import, re-import and export on one backend, in a process of its own so its peak
 * RSS is its own. The database is already migrated.
 */
async function measure(job: Job): Promise<Measured> {
  const { kind, file, dir } = job;
  const translator = rosterTranslator();
  const steps: Step[] = [];
  const lines: string[] = [];
  const timed = async <T>(name: string, target: boolean, action: () => Promise<T>, counts: (result: T) => [string, string]): Promise<T> => {
    const started = performance.now();
    const result = await action();
    const seconds = (performance.now() - started) / 1000;
    const [households, residents] = counts(result);
    steps.push({ name, seconds, rows: RESIDENTS, target, peakRss: process.resourceUsage().maxRSS * 1024, households, residents });
    return result;
  };
  const importCounts = (result: RosterImportResult): [string, string] =>
    result.ok ? [countCell(result.counts.households), countCell(result.counts.residents)] : ['failed', 'failed'];
  const database = await openJobDatabase(job);
  try {
    const community = await database.prisma.community.create({ data: { slug: 'bench', name: 'bench' } });
    const communityId = community.id;
    const baselineRss = process.resourceUsage().maxRSS * 1024;
    const phases = phaseClock();
    const first = await timed(
      `import ${kind} (empty database)`,
      true,
      () => importRoster({ prisma: database.prisma, communityId, file, translator, onProgress: phases.listener }),
      importCounts,
    );
    if (!first.ok) throw new Error(`the generated roster did not import: ${summary(first)}`);
    lines.push(`  import:    ${summary(first)}`, `             phases: ${phases.report()}`);
    const againPhases = phaseClock();
    const again = await timed(
      `re-import ${kind} (all unchanged)`,
      true,
      () => importRoster({ prisma: database.prisma, communityId, file, translator, onProgress: againPhases.listener }),
      importCounts,
    );
    if (!again.ok || again.counts.residents.unchanged !== RESIDENTS) throw new Error(`the re-import changed something: ${summary(again)}`);
    lines.push(`  re-import: ${summary(again)}`, `             phases: ${againPhases.report()}`);
    const exported = join(dir, `export-${job.where.backend}.${kind}`);
    await timed(
      `export ${kind}`,
      false,
      () => exportRoster({ prisma: database.prisma, communityId, file: exported, locale: 'zh-CN', translator }),
      (result) => [`${result.households.toLocaleString('en')} written`, `${result.residents.toLocaleString('en')} written`],
    );
    lines.push(`  export:    ${exported.endsWith('.csv') && readFileSync(exported).equals(readFileSync(file)) ? 'identical to the imported file' : 'written'}`);
    return { backend: job.where.backend, kind, baselineRss, steps, lines };
  } finally {
    await database.close();
  }
}

function runMeasurement(job: Job): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--measure'], {
      // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Measured | undefined;
    child.on('message', (message) => {
      result = message as Measured;
    });
    child.on('error', reject);
    // The job goes over IPC, not argv: the database URL may carry a password.
    child.send(job);
    child.on('exit', (code) =>
      result && code === 0 ? resolve(result) : reject(new Error(`the ${job.where.backend} ${job.kind} measurement exited with ${code}`)),
    );
  });
}

function report(measured: Measured): void {
  log(`  ${measured.kind} (process RSS before the import: ${mb(measured.baselineRss)} MB)`);
  for (const line of measured.lines) log(`  ${line}`);
}

async function runEmbedded(files: Record<Kind, string>, dir: string): Promise<Outcome> {
  const results: Measured[] = [];
  try {
    const snapshotFile = join(dir, 'migrated.tar');
    writeFileSync(snapshotFile, new Uint8Array(await (await migratedPgliteSnapshot()).arrayBuffer()));
    for (const kind of ['csv', 'xlsx'] as const) {
      const measured = await runMeasurement({ kind, file: files[kind], dir, where: { backend: 'embedded', snapshotFile } });
      report(measured);
      results.push(measured);
    }
    return { backend: 'embedded', status: 'ok', results };
  } catch (error) {
    return { backend: 'embedded', status: 'failed', reason: error instanceof Error ? error.message : String(error), results };
  }
}

/** Creates and migrates `schema` on the server (here, so the measured process does not carry the migration); returns the server's version. */
async function migratedSchema(databaseUrl: string, schema: string, dir: string): Promise<string> {
  const database = await openDatabase({ dataDir: dir, databaseUrl, schema });
  try {
    await database.migrate();
    const [row] = await database.prisma.$queryRaw<{ server_version: string }[]>`SHOW server_version`;
    return row?.server_version ?? '?';
  } finally {
    await database.close();
  }
}

async function runPostgres(files: Record<Kind, string>, dir: string): Promise<Outcome> {
  const problem = await postgresProblem(DATABASE_URL);
  if (problem) return { backend: 'postgres', status: 'unreachable', reason: `PostgreSQL at ${displayUrl(DATABASE_URL)}: ${problem}`, results: [] };
  const results: Measured[] = [];
  try {
    for (const kind of ['csv', 'xlsx'] as const) {
      const schema = freshName('bench_roster_');
      try {
        const version = await migratedSchema(DATABASE_URL, schema, dir);
        log(`  ${kind}: PostgreSQL ${version} at ${displayUrl(DATABASE_URL)}, schema ${schema} (dropped afterwards)`);
        const measured = await runMeasurement({ kind, file: files[kind], dir, where: { backend: 'postgres', databaseUrl: DATABASE_URL, schema } });
        report(measured);
        results.push(measured);
      } finally {
        await dropSchemas(DATABASE_URL, [schema]).catch((error: unknown) => log(`  could not drop schema ${schema}: ${String(error)}`));
      }
    }
    return { backend: 'postgres', status: 'ok', results };
  } catch (error) {
    return { backend: 'postgres', status: 'failed', reason: error instanceof Error ? error.message : String(error), results };
  }
}

async function main(): Promise<void> {
  const backends = backendList(process.env.BENCH_BACKENDS);
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-roster-'));
  try {
    const wording = rosterWording(rosterTranslator(), 'zh-CN');
    const cells = generateRoster(HOUSEHOLDS, RESIDENTS, wording.yes, wording.languages['en'] ?? 'en');
    const files: Record<Kind, string> = { csv: join(dir, 'roster.csv'), xlsx: join(dir, 'roster.xlsx') };
    await writeRosterFile(files.csv, wording, cells);
    await writeRosterFile(files.xlsx, wording, cells);
    log(`roster: ${HOUSEHOLDS} households, ${cells.length} residents (csv ${mb(statSync(files.csv).size)} MB, xlsx ${mb(statSync(files.xlsx).size)} MB)`);
    log(`node ${process.version}; one process per file and backend, peak RSS is that process's; target ${TARGET_SECONDS} s per import`);

    const outcomes: Outcome[] = [];
    for (const backend of backends) {
      log(`${backend}: ${BACKEND_LABELS[backend]}`);
      const outcome = backend === 'embedded' ? await runEmbedded(files, dir) : await runPostgres(files, dir);
      if (outcome.status !== 'ok') log(`  ${outcome.status.toUpperCase()}: ${outcome.reason}${outcome.status === 'unreachable' ? ' (skipped)' : ''}`);
      outcomes.push(outcome);
    }

    log('');
    const rows: string[][] = [];
    for (const outcome of outcomes) {
      for (const s of outcome.results.flatMap((r) => r.steps)) {
        rows.push([
          outcome.backend,
          s.name,
          s.seconds.toFixed(2),
          Math.round(s.rows / s.seconds).toLocaleString('en'),
          s.target ? `${((s.seconds / TARGET_SECONDS) * 100).toFixed(0)} %` : '',
          mb(s.peakRss),
          s.households,
          s.residents,
        ]);
      }
      if (outcome.status !== 'ok') rows.push([outcome.backend, outcome.status === 'unreachable' ? 'unreachable, skipped' : 'failed', '', '', '', '', '', '']);
    }
    log(table(['backend', 'step', 'seconds', 'rows/s', 'of 10 s target', 'peak RSS MB', 'households', 'residents'], rows));
    for (const outcome of outcomes) {
      const imports = outcome.results.flatMap((r) => r.steps).filter((s) => s.target);
      if (outcome.status !== 'ok' || imports.length === 0) continue;
      const worst = Math.max(...imports.map((s) => s.seconds));
      log(
        `${outcome.backend}: slowest import ${worst.toFixed(2)} s = ${(worst / TARGET_SECONDS).toFixed(2)} × the ${TARGET_SECONDS} s target: ${worst <= TARGET_SECONDS ? 'met' : 'NOT met'}`,
      );
    }
    if (outcomes.some((o) => o.status === 'failed')) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry && process.argv[2] === '--measure') {
  process.once('message', (job) => {
    void measure(job as Job).then(
      (measured) => process.send!(measured, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  });
} else if (isEntry) {
  await main();
}
