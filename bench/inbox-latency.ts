/**
 * Which `change` event on a page belongs to which cause (a filing, a staff action), and the
 * figures over all (cause, page) pairs.
 *
 * Every filing and every staff action that changes a ticket publishes exactly one `ticket.changed`,
 * and the console tells every open page of it, naming only the ticket, in the order the changes
 * were made. So on each page a ticket's changes are matched to its causes in order: each cause
 * takes the page's first change of that ticket not taken yet that arrived after the cause began.
 * The bench acts on a ticket again only once every page heard its last change (or that change is
 * long overdue, inbox-load.ts), so in the normal case each change is the only one in its window.
 * A page that heard fewer changes of a ticket than it had causes never received the rest.
 *
 * A filing's time starts at its commit, in the app's process: it has no earlier change, so any of
 * the page's changes may be its (the two processes read the same wall clock; a fraction of a
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

function earliestFrom(cause: Cause): number {
  return cause.kind === 'filed' ? Number.NEGATIVE_INFINITY : cause.startedAt;
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
  for (const cause of causes) result.set(cause, { latencies: [], missing: 0 });
  for (const [ticketId, list] of byTicket) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    for (const page of pages) {
      const times = page.received.get(ticketId) ?? [];
      let next = 0;
      for (const cause of list) {
        const from = earliestFrom(cause);
        while (next < times.length && times[next]! < from) next += 1;
        const delivery = result.get(cause)!;
        if (next < times.length) {
          delivery.latencies.push(times[next]! - cause.startedAt);
          next += 1;
        } else {
          delivery.missing += 1;
        }
      }
    }
  }
  return result;
}

/** Whether every page has heard `changes` changes of the ticket (so the next action may start). */
export function heardEverywhere(ticketId: string, changes: number, pages: readonly PageReceipts[]): boolean {
  return pages.every((page) => (page.received.get(ticketId)?.length ?? 0) >= changes);
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
    for (const latency of delivery.latencies) latencies.push(latency);
    missing += delivery.missing;
  }
  return { causes, pairs: latencies.length + missing, summary: summarise(latencies), missing };
}
