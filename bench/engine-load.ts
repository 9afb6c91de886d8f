/**
 * Drives many web chat sessions against a running app, each like a person: it sends its next
 * message only after the reply to the previous one arrived. All sessions open and are greeted
 * first; then they loop through the workload for a warm-up and a measured window. A step
 * counts when its closing prompt is stored and pushed to the page inside the window.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { MENU_LANGUAGE_HELP_CYCLE, type WorkloadStep } from './engine-workload.js';
import { summarise, type LatencySummary } from './stats.js';
import { WebChatPerson, type StepTiming } from './web-chat-person.js';

export interface LoadOptions {
  sessions: number;
  warmupSeconds: number;
  seconds: number;
  stepTimeoutMs: number;
  /** Called with a one-line progress note now and then. */
  progress?: (line: string) => void;
}

/** One completed step; times in ms, `sentAt` relative to the start of the measured window (negative: warm-up). */
export interface StepSample {
  sentAt: number;
  step: string;
  acceptedMs: number;
  deliveredMs: number;
  inWindow: boolean;
}

export interface LoadResult {
  sessions: number;
  /** Opening every page and greeting every session (before the warm-up). */
  greetingSeconds: number;
  greeting: LatencySummary;
  /** Steps whose prompt arrived in the measured window. */
  steps: number;
  windowSeconds: number;
  stepsPerSecond: number;
  /** Send → prompt stored and pushed, for steps in the window. */
  delivered: LatencySummary;
  /** Send → POST answered, for steps in the window. */
  accepted: LatencySummary;
  byStep: { name: string; delivered: LatencySummary }[];
  /** Every step completed, warm-up and the tail after the window included (each one inbound message). */
  stepsCompletedInAll: number;
  /** Steps whose number of replies differed from what the workload expects. */
  unexpectedReplyCounts: number;
  /** Sessions that stopped on an error, by message. */
  failures: Record<string, number>;
  /** Every completed step after the greetings, for a closer look (BENCH_SAMPLES_DIR). */
  samples: StepSample[];
  /** Wall time of the whole load (greetings to the last step) and this process's CPU time in it. */
  loadSeconds: number;
  clientCpuMs: number;
}

/** Runs `task` for each item with at most `limit` running at once. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(lanes);
}

function cpuTotalMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** Opening pages is gentler with some order; the measured loop runs every session at once. */
const OPEN_CONCURRENCY = 50;
const PROGRESS_EVERY_MS = 10_000;
/** Steps each session finishes before the window may open. */
const SETTLE_STEPS = 2;
/** Longest the window waits for stragglers to settle after the warm-up time. */
const MAX_SETTLE_MS = 60_000;
const WINDOW_CHECK_MS = 50;
/** The sessions' first steps are spread over this long (at most half the warm-up). */
const MAX_STAGGER_MS = 2_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runLoad(baseUrl: string, options: LoadOptions, workload: readonly WorkloadStep[] = MENU_LANGUAGE_HELP_CYCLE): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const people: WebChatPerson[] = [];
  const failures: Record<string, number> = {};
  const fail = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    failures[message] = (failures[message] ?? 0) + 1;
  };

  const cpuBefore = process.cpuUsage();
  const loadStarted = performance.now();
  try {
    // 1. Open every page and let the bot greet each session.
    const greetingStarted = performance.now();
    const greetings: number[] = [];
    const indices = Array.from({ length: options.sessions }, (_, i) => i);
    await eachLimited(indices, OPEN_CONCURRENCY, async () => {
      try {
        const person = await WebChatPerson.open(baseUrl, agent);
        people.push(person);
        greetings.push((await person.start(options.stepTimeoutMs)).deliveredMs);
      } catch (error) {
        fail(error);
      }
    });
    const greetingSeconds = (performance.now() - greetingStarted) / 1000;
    options.progress?.(`${greetings.length}/${options.sessions} sessions greeted in ${greetingSeconds.toFixed(1)} s`);

    // 2. Loop. The measured window opens once the warm-up time has passed and every session has
    //    finished SETTLE_STEPS steps, so the opening burst (every session sending at once) is
    //    over; nobody starts a step after it closes.
    const loopStarted = performance.now();
    const warmupUntil = loopStarted + options.warmupSeconds * 1000;
    const staggerMs = Math.min(options.warmupSeconds * 500, MAX_STAGGER_MS);
    let measureWindow: { start: number; end: number } | undefined;
    let active = people.length;
    let settled = 0;
    const completed: { index: number; timing: StepTiming }[] = [];

    const openWindowWhenSettled = setInterval(() => {
      const now = performance.now();
      if (measureWindow || now < warmupUntil) return;
      if (settled < active && now < warmupUntil + MAX_SETTLE_MS) return;
      measureWindow = { start: now, end: now + options.seconds * 1000 };
      if (settled < active) options.progress?.(`the window opened with ${active - settled} sessions not yet settled`);
    }, WINDOW_CHECK_MS);
    const progress = setInterval(() => {
      const inWindow = measureWindow ? completed.filter((c) => c.timing.deliveredAt >= measureWindow!.start).length : 0;
      options.progress?.(`${measureWindow ? 'measuring' : 'warm-up'}: ${greetings.length + completed.length} steps so far, ${inWindow} in the window`);
    }, PROGRESS_EVERY_MS);

    try {
      await Promise.all(
        people.map(async (person, personIndex) => {
          // People do not all press at the same millisecond.
          await sleep((staggerMs * personIndex) / Math.max(1, people.length));
          let done = 0;
          for (let index = 0; !measureWindow || performance.now() < measureWindow.end; index = (index + 1) % workload.length) {
            try {
              completed.push({ index, timing: await workload[index]!.run(person, options.stepTimeoutMs) });
            } catch (error) {
              fail(error);
              active -= 1;
              return;
            }
            if (++done === SETTLE_STEPS) settled += 1;
          }
        }),
      );
    } finally {
      clearInterval(openWindowWhenSettled);
      clearInterval(progress);
    }

    const measured = measureWindow ?? { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY };
    const delivered: number[] = [];
    const accepted: number[] = [];
    const byStep = workload.map(() => [] as number[]);
    let unexpectedReplyCounts = 0;
    const samples: StepSample[] = completed.map(({ index, timing }) => {
      if (timing.replies !== workload[index]!.expectedReplies) unexpectedReplyCounts += 1;
      const inWindow = timing.deliveredAt >= measured.start && timing.deliveredAt <= measured.end;
      if (inWindow) {
        delivered.push(timing.deliveredMs);
        accepted.push(timing.acceptedMs);
        byStep[index]!.push(timing.deliveredMs);
      }
      const sentAt = timing.deliveredAt - timing.deliveredMs;
      return {
        sentAt: sentAt - (measureWindow ? measureWindow.start : loopStarted),
        step: workload[index]!.name,
        acceptedMs: timing.acceptedMs,
        deliveredMs: timing.deliveredMs,
        inWindow,
      };
    });
    const stepsCompletedInAll = greetings.length + completed.length;

    const windowSeconds = options.seconds;
    return {
      sessions: options.sessions,
      greetingSeconds,
      greeting: summarise(greetings),
      steps: delivered.length,
      windowSeconds,
      stepsPerSecond: delivered.length / windowSeconds,
      delivered: summarise(delivered),
      accepted: summarise(accepted),
      byStep: workload.map((step, index) => ({ name: step.name, delivered: summarise(byStep[index]!) })),
      stepsCompletedInAll,
      unexpectedReplyCounts,
      failures,
      samples,
      loadSeconds: (performance.now() - loadStarted) / 1000,
      clientCpuMs: cpuTotalMs(process.cpuUsage(cpuBefore)),
    };
  } finally {
    for (const person of people) person.close();
    agent.destroy();
  }
}
