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
}

/** Runs `task` for each item with at most `limit` running at once. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(lanes);
}

/** Opening pages is gentler with some order; the measured loop runs every session at once. */
const OPEN_CONCURRENCY = 50;
const PROGRESS_EVERY_MS = 10_000;

export async function runLoad(baseUrl: string, options: LoadOptions, workload: readonly WorkloadStep[] = MENU_LANGUAGE_HELP_CYCLE): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const people: WebChatPerson[] = [];
  const failures: Record<string, number> = {};
  const fail = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    failures[message] = (failures[message] ?? 0) + 1;
  };

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

    // 2. Loop: warm-up, then the measured window; nobody starts a step after it.
    const measureStart = performance.now() + options.warmupSeconds * 1000;
    const measureEnd = measureStart + options.seconds * 1000;
    const delivered: number[] = [];
    const accepted: number[] = [];
    const byStep = workload.map(() => [] as number[]);
    let stepsCompletedInAll = greetings.length;
    let unexpectedReplyCounts = 0;

    const record = (index: number, timing: StepTiming) => {
      stepsCompletedInAll += 1;
      if (timing.replies !== workload[index]!.expectedReplies) unexpectedReplyCounts += 1;
      if (timing.deliveredAt < measureStart || timing.deliveredAt > measureEnd) return;
      delivered.push(timing.deliveredMs);
      accepted.push(timing.acceptedMs);
      byStep[index]!.push(timing.deliveredMs);
    };

    const progress = setInterval(() => {
      const now = performance.now();
      const phase = now < measureStart ? 'warm-up' : 'measuring';
      options.progress?.(`${phase}: ${stepsCompletedInAll} steps so far, ${delivered.length} in the window`);
    }, PROGRESS_EVERY_MS);

    try {
      await Promise.all(
        people.map(async (person) => {
          for (let index = 0; performance.now() < measureEnd; index = (index + 1) % workload.length) {
            try {
              record(index, await workload[index]!.run(person, options.stepTimeoutMs));
            } catch (error) {
              fail(error);
              return;
            }
          }
        }),
      );
    } finally {
      clearInterval(progress);
    }

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
    };
  } finally {
    for (const person of people) person.close();
    agent.destroy();
  }
}
