/**
 * The staff side of `npm run bench:inbox`: the staff actions, posted through the console's forms
 * at an even pace over the window while the app's process files the tickets.
 *
 * Each filed ticket gets, in turn, claim → reply → note → resolve (each a real change: a new
 * ticket can be claimed by anyone allowed, a reply, a note and a resolution each add an event).
 * It is worked by one staff member: its area's steward, or for every fifth ticket one of the
 * committee. The slots take the steps in turn (claim, reply, note, resolve, claim, …), so the
 * four are posted about as often as each other however many tickets wait unclaimed: each goes to
 * the ticket that has waited longest for that step among those whose last change every page has
 * heard (so each page's change can be told apart, see inbox-latency.ts) and that have no action
 * in flight; when none waits for that step, the ticket furthest along that is ready; when none
 * is ready at all, the slot waits for one (at most 30 s; then the rest are left out and reported).
 */
import { performance } from 'node:perf_hooks';
import { heardEverywhere, type Cause } from './inbox-latency.js';
import type { StaffPage } from './staff-page.js';

export const ACTION_STEPS = ['claim', 'reply', 'note', 'resolve'] as const;
export type ActionStep = (typeof ACTION_STEPS)[number];

/** What each step's form carries as `text` (claim carries none). */
const TEXT_OF: Record<ActionStep, string | undefined> = {
  claim: undefined,
  reply: '您好，已安排师傅明天上午上门查看。',
  note: '已联系物业电工，等配件。',
  resolve: '灯已换好，请您确认。',
};

/** How often a waiting slot looks again for a ticket that is ready. */
const POLL_MS = 5;
/** A change not heard everywhere after this long: the ticket's next action goes ahead anyway. */
const GIVE_UP_MS = 10_000;
/** A slot waits at most this long for a ready ticket; then the remaining slots are left out. */
const SLOT_WAIT_MAX_MS = 30_000;

export interface FiledTicket {
  ticketId: string;
  number: string;
  area: number;
  committedAt: number;
}

export interface StaffOnPage {
  page: StaffPage;
  role: 'committee' | 'steward';
  area: number | null;
}

interface Work {
  ticket: FiledTicket;
  /** Index of the ticket in filing order. */
  seq: number;
  by: StaffPage;
  next: number;
  last: Cause;
  /** Changes it has made so far (the filing and each action answered with the redirect). */
  changes: number;
  inFlight: boolean;
  /** Since when it waits for its next action (wall clock of its last cause). */
  waitingSince: number;
}

export interface ActionResult {
  cause: Cause;
  status: number;
  /** Request sent → answer read, ms. */
  answerMs: number;
  by: string;
}

export interface ActionLoadResult {
  results: ActionResult[];
  /** Slots that waited for a ready ticket, and the longest wait (ms). */
  waitedSlots: number;
  longestWaitMs: number;
  /** Slots left out because no ticket became ready within {@link SLOT_WAIT_MAX_MS} (none filed, say). */
  skippedSlots: number;
  /** One answer's body that was not the redirect after an action, if any. */
  unexpectedExample?: string;
}

export class ActionLoad {
  private readonly work: Work[] = [];
  private readonly causes: Cause[] = [];
  private readonly results: ActionResult[] = [];
  private readonly stewardOf = new Map<number, StaffPage>();
  private readonly committee: StaffPage[] = [];
  private unexpectedExample: string | undefined;

  constructor(
    private readonly staff: readonly StaffOnPage[],
    private readonly wall: () => number,
  ) {
    for (const member of staff) {
      if (member.role === 'committee') this.committee.push(member.page);
      else if (member.area !== null) this.stewardOf.set(member.area, member.page);
    }
  }

  /** Every cause so far: filings and actions. */
  get allCauses(): readonly Cause[] {
    return this.causes;
  }

  /** A ticket the app filed: its change is a cause, and it joins the work. */
  filed(ticket: FiledTicket): void {
    const cause: Cause = { ticketId: ticket.ticketId, kind: 'filed', startedAt: ticket.committedAt };
    this.causes.push(cause);
    const seq = this.work.length;
    const steward = this.stewardOf.get(ticket.area);
    const byCommittee = this.committee.length > 0 && (seq % 5 === 0 || !steward);
    const by = byCommittee ? this.committee[Math.floor(seq / 5) % this.committee.length]! : steward;
    if (!by) return;
    this.work.push({ ticket, seq, by, next: 0, last: cause, changes: 1, inFlight: false, waitingSince: ticket.committedAt });
  }

  /** Whether every open page heard every change made so far. */
  allHeard(pages: readonly StaffPage[]): boolean {
    const open = pages.filter((p) => p.streamOpen);
    return this.work.every((work) => heardEverywhere(work.ticket.ticketId, work.changes, open));
  }

  /** Posts `count` actions at an even pace over `seconds`; resolves when every answer is in. */
  async run(count: number, seconds: number, pages: readonly StaffPage[]): Promise<ActionLoadResult> {
    const interval = (seconds * 1000) / Math.max(1, count);
    const began = performance.now();
    const inFlight: Promise<void>[] = [];
    let waitedSlots = 0;
    let longestWaitMs = 0;
    let skippedSlots = 0;
    for (let slot = 0; slot < count; slot += 1) {
      const due = began + slot * interval;
      if (due > performance.now()) await sleep(due - performance.now());
      const step = slot % ACTION_STEPS.length;
      let work = this.pick(pages, step);
      if (!work) {
        waitedSlots += 1;
        const waitFrom = performance.now();
        while (!work && performance.now() - waitFrom < SLOT_WAIT_MAX_MS) {
          await sleep(POLL_MS);
          work = this.pick(pages, step);
        }
        longestWaitMs = Math.max(longestWaitMs, performance.now() - waitFrom);
        if (!work) {
          skippedSlots = count - slot;
          break;
        }
      }
      inFlight.push(this.act(work));
    }
    await Promise.all(inFlight);
    return { results: this.results, waitedSlots, longestWaitMs, skippedSlots, ...(this.unexpectedExample ? { unexpectedExample: this.unexpectedExample } : {}) };
  }

  /**
   * The ticket for this slot (see the file's comment). Ready: every open page heard all its
   * changes, or its last one is overdue by {@link GIVE_UP_MS} (the work goes on; the change still
   * counts when it arrives, or as never received if it does not).
   */
  private pick(pages: readonly StaffPage[], step: number): Work | undefined {
    const open = pages.filter((p) => p.streamOpen);
    const givenUpBefore = this.wall() - GIVE_UP_MS;
    const ready = (work: Work) => work.last.startedAt <= givenUpBefore || heardEverywhere(work.ticket.ticketId, work.changes, open);
    let best: Work | undefined;
    let fallback: Work | undefined;
    for (const work of this.work) {
      if (work.inFlight || work.next >= ACTION_STEPS.length) continue;
      if (work.next === step) {
        if (best && work.waitingSince >= best.waitingSince) continue;
        if (ready(work)) best = work;
      } else if (!best && (!fallback || work.next > fallback.next) && ready(work)) {
        fallback = work;
      }
    }
    return best ?? fallback;
  }

  private async act(work: Work): Promise<void> {
    const step = ACTION_STEPS[work.next]!;
    work.next += 1;
    work.inFlight = true;
    const before = work.last;
    const cause: Cause = { ticketId: work.ticket.ticketId, kind: step, startedAt: this.wall() };
    this.causes.push(cause);
    work.last = cause;
    work.changes += 1;
    work.waitingSince = cause.startedAt;
    let status = 0;
    let answerMs = Number.NaN;
    try {
      const answer = await work.by.act(work.ticket.number, step, TEXT_OF[step]);
      [status, answerMs] = [answer.status, answer.ms];
      if (status !== 303) this.unexpectedExample ??= `${step} ${work.ticket.number} by ${work.by.name}: ${status} ${answer.body.slice(0, 200)}`;
    } catch (error) {
      this.unexpectedExample ??= `${step} ${work.ticket.number}: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.results.push({ cause, status, answerMs, by: work.by.name });
    if (status !== 303) {
      // Refused or failed: no change to wait for (counted among the failed actions, not the latencies).
      this.causes.splice(this.causes.indexOf(cause), 1);
      work.changes -= 1;
      if (work.last === cause) work.last = before;
    }
    work.inFlight = false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
