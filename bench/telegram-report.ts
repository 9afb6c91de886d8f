/**
 * The final tables of `npm run bench:telegram`: every contender's figures side by side, then
 * issue 13's targets, each with the embedded default's and PostgreSQL + Redis's figure, the
 * ratio where the target is one, and whether it is met.
 */
import { LABELS, type Contender, type Outcome } from './telegram-contender.js';
import type { TelegramBenchBackend, TelegramBenchOptions } from './telegram-options.js';
import { mb, ms, table } from './stats.js';

const MB = 1024 * 1024;

/** Issue 13's targets per backend. */
const TARGETS: Record<TelegramBenchBackend, { ratio: number; realP99Ms: number; cpuPerStepMs: number; idleMb: number; peakMb: number; readyMs: number }> = {
  embedded: { ratio: 0.25, realP99Ms: 150, cpuPerStepMs: 2, idleMb: 200, peakMb: 300, readyMs: 2_000 },
  'postgres-redis': { ratio: 0.4, realP99Ms: 100, cpuPerStepMs: 1, idleMb: 150, peakMb: 200, readyMs: 2_000 },
};

const BACKENDS: TelegramBenchBackend[] = ['embedded', 'postgres-redis'];

/** Linli's default TELEGRAM_MAX_PER_SECOND, which the real mode leaves as it is. */
const DEFAULT_PER_BOT_PER_SECOND = 30;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? '' : met ? ' met' : ' MISSED';
}

function perStep(total: number, outcome: Outcome): number {
  return total / outcome.measured.answered;
}

/** Every contender's figures, one row per contender and mode. */
export function printFigures(outcomes: readonly Outcome[]): void {
  const rows = outcomes.map((o) => [
    `${o.mode}: ${LABELS[o.contender]}`,
    `${o.measured.answered}/${o.measured.texts}`,
    o.measured.repliesPerSecond.toFixed(0),
    `${ms(o.measured.firstReplyLatency.p50)} / ${ms(o.measured.firstReplyLatency.p99)}`,
    `${ms(o.measured.stepLatency.p50)} / ${ms(o.measured.stepLatency.p99)}`,
    ms(perStep(o.usage.cpuMs, o)),
    ms(o.usage.cpuMs / o.measured.replies),
    o.contender === 'echo' ? '–' : `${perStep(o.usage.statements, o).toFixed(1)} / ${perStep(o.usage.transactions, o).toFixed(1)}`,
    `${mb(o.rssReadyBytes)} / ${mb(o.rssAfterBytes)}`,
    mb(o.finished.peakRssUnderLoadBytes),
    (o.startupMs / 1000).toFixed(2),
    String(o.rateLimited),
    o.problems.length > 0 ? 'PROBLEMS' : 'ok',
  ]);
  log('\nFigures (a step: one text and every reply it causes; times from the update handed out to the reply accepted by the fake; CPU and statements over the measured phase)');
  log(
    table(
      [
        'mode: bot',
        'answered',
        'replies/s',
        'first reply p50 / p99 ms',
        'step p50 / p99 ms',
        'CPU/step ms',
        'CPU/reply ms',
        'statements / tx per step',
        'RSS idle / after MB',
        'peak RSS MB',
        'start s',
        '429s',
        'check',
      ],
      rows,
    ),
  );
}

/** Issue 13's targets with each backend's figure and verdict. */
export function printTargets(outcomes: readonly Outcome[], options: TelegramBenchOptions): void {
  const find = (contender: Contender, mode: 'lifted' | 'real') => outcomes.find((o) => o.contender === contender && o.mode === mode);
  const echoLifted = find('echo', 'lifted');
  const backends = BACKENDS.filter((b) => options.backends.includes(b));
  const cell = (backend: TelegramBenchBackend, figure: (o: Outcome, t: (typeof TARGETS)[TelegramBenchBackend]) => [string, boolean | undefined], mode: 'lifted' | 'real' = 'lifted') => {
    const o = find(backend, mode);
    if (!o) return '–';
    const [text, met] = figure(o, TARGETS[backend]);
    return `${text}${o.problems.length > 0 ? ' (PROBLEMS)' : verdict(met)}`;
  };
  const rows: string[][] = [];
  const echoReplies = echoLifted?.measured.repliesPerSecond;
  rows.push([
    `replies/s ÷ echo (${options.chats} chats, limits lifted; echo ${echoReplies?.toFixed(0) ?? '–'}/s)`,
    '≥ 0.25 / ≥ 0.40',
    ...backends.map((b) =>
      cell(b, (o, t) => {
        if (echoReplies === undefined) return [`${o.measured.repliesPerSecond.toFixed(0)}/s, no echo run`, undefined];
        const ratio = o.measured.repliesPerSecond / echoReplies;
        return [`${o.measured.repliesPerSecond.toFixed(0)}/s = ${ratio.toFixed(ratio < 0.1 ? 3 : 2)}×`, ratio >= t.ratio];
      }),
    ),
  ]);
  rows.push([
    `first reply p50 / p99, limits lifted (echo ${echoLifted ? `${ms(echoLifted.measured.firstReplyLatency.p50)} / ${ms(echoLifted.measured.firstReplyLatency.p99)} ms` : '–'})`,
    '–',
    ...backends.map((b) => cell(b, (o) => [`${ms(o.measured.firstReplyLatency.p50)} / ${ms(o.measured.firstReplyLatency.p99)} ms`, undefined])),
  ]);
  const echoReal = find('echo', 'real');
  rows.push([
    `first reply p99 at ${options.realInboundPerSecond} inbound/s, real limits (echo ${echoReal ? `${ms(echoReal.measured.firstReplyLatency.p99)} ms, ${echoReal.usage.failedSends} of ${echoReal.measured.texts} replies refused${echoReal.usage.failedSends > 0 ? ', approximate' : ''}` : '–'})`,
    '≤ 150 / ≤ 100 ms',
    ...backends.map((b) => cell(b, (o, t) => [`${ms(o.measured.firstReplyLatency.p99)} ms`, o.measured.firstReplyLatency.p99 <= t.realP99Ms], 'real')),
  ]);
  rows.push([
    `CPU per flow step, limits lifted (echo ${echoLifted ? ms(perStep(echoLifted.usage.cpuMs, echoLifted)) : '–'} ms)`,
    '≤ 2 / ≤ 1 ms',
    ...backends.map((b) => cell(b, (o, t) => [`${ms(perStep(o.usage.cpuMs, o))} ms`, perStep(o.usage.cpuMs, o) <= t.cpuPerStepMs])),
  ]);
  rows.push([
    `memory idle / peak under load (echo ${echoLifted ? `${mb(echoLifted.rssReadyBytes)} / ${mb(echoLifted.finished.peakRssUnderLoadBytes)} MB` : '–'})`,
    '≤ 200/300, ≤ 150/200 MB',
    ...backends.map((b) =>
      cell(b, (o, t) => [
        `${mb(o.rssReadyBytes)} / ${mb(o.finished.peakRssUnderLoadBytes)} MB`,
        o.rssReadyBytes <= t.idleMb * MB && o.finished.peakRssUnderLoadBytes <= t.peakMb * MB,
      ]),
    ),
  ]);
  rows.push([
    `start to first poll, migrations applied (echo ${echoLifted ? `${(echoLifted.startupMs / 1000).toFixed(2)} s` : '–'})`,
    '≤ 2 s',
    ...backends.map((b) => cell(b, (o, t) => [`${(o.startupMs / 1000).toFixed(2)} s (spawn ${(o.spawnToReadyMs / 1000).toFixed(2)} s)`, o.startupMs <= t.readyMs])),
  ]);
  rows.push([
    'statements / transactions per step, limits lifted',
    '–',
    ...backends.map((b) => cell(b, (o) => [`${perStep(o.usage.statements, o).toFixed(1)} / ${perStep(o.usage.transactions, o).toFixed(2)}`, undefined])),
  ]);
  log('\nIssue 13 targets (embedded / PostgreSQL + Redis; ratios against the echo bot in the same run)');
  log(table(['figure', 'target', ...backends.map((b) => LABELS[b])], rows));
  const realLinli = backends.map((b) => find(b, 'real')).find((o) => o !== undefined);
  if (realLinli) {
    // What the limits alone allow, whatever the app's cost: the replies queue behind the pacing.
    const inboundSeconds = realLinli.measured.texts / options.realInboundPerSecond;
    const perChat = realLinli.measured.replies / options.realChats;
    log(
      `Real limits, the floor for any bot that keeps them: Linli's ${realLinli.measured.replies} replies to ${realLinli.measured.texts} texts arriving over ${inboundSeconds.toFixed(0)} s ` +
        `need ≥ ${(realLinli.measured.replies / DEFAULT_PER_BOT_PER_SECOND).toFixed(0)} s at its default ${DEFAULT_PER_BOT_PER_SECOND} messages/s per bot, and each chat's ${perChat.toFixed(0)} replies ≥ ${perChat.toFixed(0)} s at 1/s per chat; ` +
        `a first-reply p99 near the target needs inbound × replies per text below both.`,
    );
  }
  const embeddedFirst = find('embedded', 'lifted')?.firstStart;
  if (embeddedFirst) {
    log(`The embedded default's first start (database created, migrations applied, its own process): ${(embeddedFirst.startupMs / 1000).toFixed(1)} s, peak RSS ${mb(embeddedFirst.peakRssBytes)} MB.`);
  }
  log(
    'Statements: on PostgreSQL those sent through pg (the queues on Redis not counted); on the embedded default those sent to PGlite, the queues on it included. ' +
      `Real limits: the fake allows 1 message/s per private chat and ${options.realFakePerSecond > 0 ? `${options.realFakePerSecond}/s for the whole bot` : 'no limit for the whole bot'} ` +
      `(${options.realGraceMs} ms grace); Linli paces at its defaults (TELEGRAM_MAX_PER_SECOND ${DEFAULT_PER_BOT_PER_SECOND}, TELEGRAM_MAX_PER_CHAT_PER_SECOND 1), the echo bot paces nothing and drops a refused reply.`,
  );
}
