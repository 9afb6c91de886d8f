/**
 * Progress of a long write (an import of thousands of rows): a bar when stdout is a terminal,
 * otherwise one line at every tenth (a log file or a pipe gets ten lines, not ten thousand
 * redraws).
 */
import cliProgress from 'cli-progress';
import type { CliRuntime } from '../linli-runtime.js';
import { formatCount } from './labels.js';

export interface Progress {
  /** `done` of `total` steps are finished. */
  update(done: number, total: number): void;
  /** Ends the bar (or nothing); safe to call twice. */
  stop(): void;
}

const STEPS = 10;

/**
 * One progress display per phase of a long write that has more than one step (reading, checking,
 * writing…), each labelled with its phase's locale key; a phase of one step shows nothing.
 */
export function phasedProgress<Phase extends string>(
  runtime: CliRuntime,
  labelKeys: Readonly<Record<Phase, string>>,
): { listener: (progress: { phase: Phase; done: number; total: number }) => void; stop: () => void } {
  let phase: Phase | undefined;
  let progress: Progress | undefined;
  return {
    listener: ({ phase: next, done, total }) => {
      if (total <= 1) return;
      if (next !== phase) {
        progress?.stop();
        phase = next;
        progress = createProgress(runtime, runtime.t(labelKeys[next]));
      }
      progress?.update(done, total);
    },
    stop: () => progress?.stop(),
  };
}

/** A progress display labelled `label` (already in the operator's language). */
export function createProgress(runtime: CliRuntime, label: string): Progress {
  return runtime.stdout.isTTY ? barProgress(runtime, label) : lineProgress(runtime, label);
}

function barProgress(runtime: CliRuntime, label: string): Progress {
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (total <= 0) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {percentage}% {value}/{total}`,
            stream: runtime.stdout as NodeJS.WritableStream,
            hideCursor: true,
            clearOnComplete: false,
            barsize: 30,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.setTotal(total);
      bar.update(Math.min(done, total));
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function lineProgress(runtime: CliRuntime, label: string): Progress {
  let shownStep = 0;
  return {
    update(done, total) {
      if (total <= 0) return;
      const step = Math.floor((Math.min(done, total) / total) * STEPS);
      if (step <= shownStep) return;
      shownStep = step;
      runtime.print(
        runtime.t('cli.progress.line', {
          label,
          percent: step * (100 / STEPS),
          done: formatCount(runtime, done),
          total: formatCount(runtime, total),
        }),
      );
    },
    stop() {},
  };
}
