/**
 * `npm run bench:roster` — roster import at the seed community's scale (DOMAIN.md: 3,076
 * households, 8,689 residents) on the embedded default, against the target of 10 s.
 *
 * A valid roster is generated deterministically (the same file every run) as .csv and .xlsx into
 * a temporary folder. Each file is measured in a process of its own (so its peak RSS is its
 * own), on a fresh in-memory PGlite started from an already migrated snapshot, as the tests
 * start theirs: import into the empty database, import the same file again (everything
 * unchanged), export. Printed per step: seconds, rows per second, the ratio to the 10 s target
 * (imports) and the process's peak RSS; per import also the time in each phase.
 *
 * Settings (environment): BENCH_HOUSEHOLDS (3076), BENCH_RESIDENTS (8689).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { exportRoster, importRoster, type RosterImportResult, type RosterProgress } from '../src/features/community/roster/index.js';
import { rosterTranslator } from '../src/features/community/roster/roster-locales.js';
import type { RosterRow } from '../src/features/community/roster/roster-row.js';
import { rosterWording } from '../src/features/community/roster/roster-vocabulary.js';
import { writeRosterFile, type RosterCells } from '../src/features/community/roster/roster-write.js';
import { migratedPgliteSnapshot } from '../test/support/pglite-snapshot.js';
import { mb, table } from './stats.js';

const TARGET_SECONDS = 10;
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 3076);
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 8689);

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
}

/** What one measured process reports back. */
interface Measured {
  kind: 'csv' | 'xlsx';
  baselineRss: number;
  steps: Step[];
  lines: string[];
}

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

/**
 * One file's import, re-import and export, in a process of its own so its peak RSS is its own:
 * an in-memory PGlite loaded from an already migrated snapshot (as the tests start theirs).
 */
async function measure(kind: 'csv' | 'xlsx', file: string, snapshotFile: string, dir: string): Promise<Measured> {
  const translator = rosterTranslator();
  const steps: Step[] = [];
  const lines: string[] = [];
  const timed = async <T>(name: string, rows: number, target: boolean, action: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await action();
    const seconds = (performance.now() - started) / 1000;
    steps.push({ name, seconds, rows, target, peakRss: process.resourceUsage().maxRSS * 1024 });
    return result;
  };
  const database = await openDatabase({ dataDir: tmpdir(), inMemory: true, loadDataDir: new Blob([readFileSync(snapshotFile)]) });
  try {
    const community = await database.prisma.community.create({ data: { slug: 'bench', name: 'bench' } });
    const communityId = community.id;
    const baselineRss = process.resourceUsage().maxRSS * 1024;
    const phases = phaseClock();
    const first = await timed(`import ${kind} (empty database)`, RESIDENTS, true, () =>
      importRoster({ prisma: database.prisma, communityId, file, translator, onProgress: phases.listener }),
    );
    if (!first.ok) throw new Error(`the generated roster did not import: ${summary(first)}`);
    lines.push(`  import:    ${summary(first)}`, `             phases: ${phases.report()}`);
    const againPhases = phaseClock();
    const again = await timed(`re-import ${kind} (all unchanged)`, RESIDENTS, true, () =>
      importRoster({ prisma: database.prisma, communityId, file, translator, onProgress: againPhases.listener }),
    );
    if (!again.ok || again.counts.residents.unchanged !== RESIDENTS) throw new Error(`the re-import changed something: ${summary(again)}`);
    lines.push(`  re-import: ${summary(again)}`, `             phases: ${againPhases.report()}`);
    const exported = join(dir, `export.${kind}`);
    await timed(`export ${kind}`, RESIDENTS, false, () => exportRoster({ prisma: database.prisma, communityId, file: exported, locale: 'zh-CN', translator }));
    lines.push(`  export:    ${exported.endsWith('.csv') && readFileSync(exported).equals(readFileSync(file)) ? 'identical to the imported file' : 'written'}`);
    return { kind, baselineRss, steps, lines };
  } finally {
    await database.close();
  }
}

function runMeasurement(kind: 'csv' | 'xlsx', file: string, snapshotFile: string, dir: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--measure', kind, file, snapshotFile, dir], {
      // tsx's loader flags come along in execArgv, so the child runs TypeScript too.
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Measured | undefined;
    child.on('message', (message) => {
      result = message as Measured;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${kind} measurement exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-roster-'));
  try {
    const wording = rosterWording(rosterTranslator(), 'zh-CN');
    const cells = generateRoster(HOUSEHOLDS, RESIDENTS, wording.yes, wording.languages['en'] ?? 'en');
    const csv = join(dir, 'roster.csv');
    const xlsx = join(dir, 'roster.xlsx');
    await writeRosterFile(csv, wording, cells);
    await writeRosterFile(xlsx, wording, cells);
    const snapshotFile = join(dir, 'migrated.tar.gz');
    writeFileSync(snapshotFile, new Uint8Array(await (await migratedPgliteSnapshot()).arrayBuffer()));
    log(`roster: ${HOUSEHOLDS} households, ${cells.length} residents (csv ${mb(statSync(csv).size)} MB, xlsx ${mb(statSync(xlsx).size)} MB)`);
    log(`node ${process.version}; embedded PGlite in memory, one process per file; target ${TARGET_SECONDS} s per import`);

    const results: Measured[] = [];
    for (const [kind, file] of [
      ['csv', csv],
      ['xlsx', xlsx],
    ] as const) {
      const measured = await runMeasurement(kind, file, snapshotFile, dir);
      log(`${kind} (process RSS before the import: ${mb(measured.baselineRss)} MB)`);
      for (const line of measured.lines) log(line);
      results.push(measured);
    }

    const steps = results.flatMap((r) => r.steps);
    log('');
    log(
      table(
        ['step', 'seconds', 'rows/s', 'of 10 s target', 'peak RSS MB'],
        steps.map((s) => [
          s.name,
          s.seconds.toFixed(2),
          Math.round(s.rows / s.seconds).toLocaleString('en'),
          s.target ? `${((s.seconds / TARGET_SECONDS) * 100).toFixed(0)} %` : '',
          mb(s.peakRss),
        ]),
      ),
    );
    const worst = Math.max(...steps.filter((s) => s.target).map((s) => s.seconds));
    log(`slowest import ${worst.toFixed(2)} s = ${(worst / TARGET_SECONDS).toFixed(2)} × the ${TARGET_SECONDS} s target: ${worst <= TARGET_SECONDS ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry && process.argv[2] === '--measure') {
  const [kind, file, snapshotFile, dir] = process.argv.slice(3) as ['csv' | 'xlsx', string, string, string];
  const measured = await measure(kind, file, snapshotFile, dir);
  process.send!(measured, () => process.exit(0));
} else if (isEntry) {
  await main();
}
