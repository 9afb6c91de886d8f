/**
 * What an app process under a sending benchmark does between two marks, measured from inside
 * it: CPU, database statements (telegram-statements.ts), Redis commands, and the sends to the
 * platform — how many were on their way at once (time-weighted over the window) and how long
 * each took.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Channel } from '../src/channels/types.js';
import { statementCounts, statementKinds } from './telegram-statements.js';
import { summarise, type LatencySummary } from './stats.js';

/** What happened in one window. */
export interface ProbeWindow {
  ms: number;
  cpuMs: number;
  statements: number;
  transactions: number;
  redisCommands: number;
  /** The main thread's time runnable but waiting for a CPU (the machine busy with others). */
  runQueueWaitMs: number;
  /** The most frequent statements of the window (first words) and how many of each. */
  topStatements: [string, number][];
  sends: number;
  /** Sends on their way to the platform at once, averaged over the window's time. */
  meanInFlight: number;
  maxInFlight: number;
  /** One send: the channel's call to the platform and its answer. */
  sendMs: LatencySummary;
}

let redisCommands = 0;

/** This process's main thread so far: ms on a CPU and ms runnable but waiting for one (Linux; zeros elsewhere). */
export function mainThreadSchedule(): { runMs: number; waitMs: number } {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { runMs: (run ?? 0) / 1e6, waitMs: (wait ?? 0) / 1e6 };
  } catch {
    return { runMs: 0, waitMs: 0 };
  }
}

/** Counts every Redis command sent from this process from now on (ioredis; BullMQ's and the pacer's). */
export function countRedisCommands(): void {
  const proto = Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const original = proto.sendCommand;
  proto.sendCommand = function countedCommand(this: unknown, ...args: unknown[]) {
    redisCommands += 1;
    return original.apply(this, args);
  };
}

export class SendProbe {
  private inFlight = 0;
  private maxInFlight = 0;
  /** ∫ in-flight dt (ms) since the window opened, and when it last changed. */
  private area = 0;
  private changedAt = 0;
  private sendTimes: number[] = [];
  private opened: { at: number; cpu: NodeJS.CpuUsage; statements: number; transactions: number; redis: number; kinds: Map<string, number>; waitMs: number } | undefined;

  /** Wraps the channel's `send`, so every send is seen (the delivery workers hold the same object). */
  watch(channel: Channel): void {
    const send = channel.send.bind(channel);
    channel.send = async (...args: Parameters<Channel['send']>) => {
      const began = performance.now();
      this.move(+1);
      try {
        return await send(...args);
      } finally {
        this.move(-1);
        if (this.opened) this.sendTimes.push(performance.now() - began);
      }
    };
  }

  /** Opens a window. */
  open(): void {
    const counts = statementCounts();
    this.area = 0;
    this.changedAt = performance.now();
    this.maxInFlight = this.inFlight;
    this.sendTimes = [];
    this.opened = { at: performance.now(), cpu: process.cpuUsage(), statements: counts.statements, transactions: counts.transactions, redis: redisCommands, kinds: statementKinds(), waitMs: mainThreadSchedule().waitMs };
  }

  /** Closes the window and says what happened in it. */
  close(): ProbeWindow {
    const opened = this.opened;
    if (!opened) throw new Error('the probe was not opened');
    this.move(0);
    const now = performance.now();
    const cpu = process.cpuUsage(opened.cpu);
    const counts = statementCounts();
    this.opened = undefined;
    const ms = now - opened.at;
    const topStatements = [...statementKinds()]
      .map(([kind, n]): [string, number] => [kind, n - (opened.kinds.get(kind) ?? 0)])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    return {
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      statements: counts.statements - opened.statements,
      transactions: counts.transactions - opened.transactions,
      redisCommands: redisCommands - opened.redis,
      runQueueWaitMs: mainThreadSchedule().waitMs - opened.waitMs,
      topStatements,
      sends: this.sendTimes.length,
      meanInFlight: ms > 0 ? this.area / ms : 0,
      maxInFlight: this.maxInFlight,
      sendMs: summarise(this.sendTimes),
    };
  }

  private move(by: number): void {
    const now = performance.now();
    if (this.opened) this.area += this.inFlight * (now - this.changedAt);
    this.changedAt = now;
    this.inFlight += by;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }
}
