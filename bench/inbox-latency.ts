/**
 * Which `change` event on a page belongs to which cause (a filing, a staff action), and the
 * figures over all (cause, page) pairs.
 *
 * Every filing and every staff action that changes a ticket publishes exactly one `ticket.changed`,
 * and the console tells every open page of it, naming only the ticket. The bench never acts on a
 * ticket again before every page has heard of its last change (inbox-load.ts), so a page's first
 * change for the ticket from the cause's start up to the next cause's start is that cause's.
 * A filing's time starts at its commit, in the app's process: it has no earlier change, so its
 * window starts at the beginning (the two processes read the same wall clock; a fraction of a
 * millisecond of difference between them is within the figures' precision).
 */
import { summarise, type LatencySummary } from './stats.js';

export interface Cause {
  ticketId: string;
  /** 'filed', or the action: claim, reply, note, resolve. */
  kind: string;
  /** Wall-clock ms: the filing's commit, or when the action's request was sent. */
  startedAt: number;
}

/** What one page heard: per ticket id, when each change arrived (wall-clock ms, in order). */
export interface PageReceipts {
  received: ReadonlyMap<string, readonly number[]>;
}

export interface Delivery {
  /** One latency (ms) per (cause, page) pair that arrived. */
  latencies: number[];
  /** Pairs whose change never arrived. */
  missing: number;
}

/** The first arrival in [from, until), or undefined. */
function firstWithin(times: readonly number[] | undefined, from: number, until: number): number | undefined {
  if (!times) return undefined;
  for (const at of times) if (at >= from && at < until) return at;
  return undefined;
}

/** Latencies of `causes` (all of them, any ticket) as heard on every page. */
export function deliveries(causes: readonly Cause[], pages: readonly PageReceipts[]): Map<Cause, Delivery> {
  const byTicket = new Map<string, Cause[]>();
  for (const cause of causes) {
    const list = byTicket.get(cause.ticketId) ?? [];
    list.push(cause);
    byTicket.set(cause.ticketId, list);
  }
  const result = new Map<Cause, Delivery>();
  for (const list of byTicket.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    list.forEach((cause, i) => {
      const from = cause.kind === 'filed' ? Number.NEGATIVE_INFINITY : cause.startedAt;
      const until = list[i + 1]?.startedAt ?? Number.POSITIVE_INFINITY;
      const delivery: Delivery = { latencies: [], missing: 0 };
      for (const page of pages) {
        const at = firstWithin(page.received.get(cause.ticketId), from, until);
        if (at === undefined) delivery.missing += 1;
        else delivery.latencies.push(at - cause.startedAt);
      }
      result.set(cause, delivery);
    });
  }
  return result;
}

/** Whether every page has heard of the cause (the next action on its ticket may start). */
export function heardEverywhere(cause: Cause, pages: readonly PageReceipts[]): boolean {
  const from = cause.kind === 'filed' ? Number.NEGATIVE_INFINITY : cause.startedAt;
  return pages.every((page) => firstWithin(page.received.get(cause.ticketId), from, Number.POSITIVE_INFINITY) !== undefined);
}

export interface DeliveryFigures {
  causes: number;
  pairs: number;
  summary: LatencySummary;
  missing: number;
}

/** The figures over the causes `which` selects. */
export function figuresOf(all: ReadonlyMap<Cause, Delivery>, which: (cause: Cause) => boolean): DeliveryFigures {
  const latencies: number[] = [];
  let missing = 0;
  let causes = 0;
  for (const [cause, delivery] of all) {
    if (!which(cause)) continue;
    causes += 1;
    latencies.push(...delivery.latencies);
    missing += delivery.missing;
  }
  return { causes, pairs: latencies.length + missing, summary: summarise(latencies), missing };
}
