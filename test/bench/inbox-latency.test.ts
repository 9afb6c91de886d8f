/**
 * bench:inbox's accounting of which change on a page belongs to which filing or action: a
 * ticket's changes are matched to its causes in order, a change counts once, and a page that
 * heard fewer changes than there were causes never received the rest.
 */
import { describe, expect, it } from 'vitest';
import { deliveries, figuresOf, heardEverywhere, type Cause, type PageReceipts } from '../../bench/inbox-latency.js';

function page(received: Record<string, number[]>): PageReceipts {
  return { received: new Map(Object.entries(received)) };
}

describe('bench:inbox latency accounting', () => {
  const filed: Cause = { ticketId: 't1', kind: 'filed', startedAt: 1_000 };
  const claim: Cause = { ticketId: 't1', kind: 'claim', startedAt: 2_000 };
  const reply: Cause = { ticketId: 't1', kind: 'reply', startedAt: 3_000 };
  const otherFiled: Cause = { ticketId: 't2', kind: 'filed', startedAt: 1_500 };

  it('gives each page’s changes of a ticket to its causes in order, and counts a page that never heard one', () => {
    const pages = [page({ t1: [1_010, 2_020, 3_030], t2: [1_505] }), page({ t1: [1_012, 2_040], t2: [1_520] })];
    const all = deliveries([filed, claim, reply, otherFiled], pages);
    expect(all.get(filed)).toEqual({ latencies: [10, 12], missing: 0 });
    expect(all.get(claim)).toEqual({ latencies: [20, 40], missing: 0 });
    expect(all.get(reply)).toEqual({ latencies: [30], missing: 1 });
    expect(all.get(otherFiled)).toEqual({ latencies: [5, 20], missing: 0 });

    const actions = figuresOf(all, (c) => c.kind !== 'filed');
    expect(actions).toMatchObject({ causes: 2, pairs: 4, missing: 1 });
    expect(actions.summary.max).toBe(40);
  });

  it('does not count a change heard before an action was sent as that action’s', () => {
    // The page heard the filing only; nothing came after the claim was sent.
    const pages = [page({ t1: [1_010] })];
    expect(deliveries([filed, claim], pages).get(claim)).toEqual({ latencies: [], missing: 1 });
    expect(heardEverywhere('t1', 2, pages)).toBe(false);
  });

  it('counts a change that arrives after the next action was sent for the cause it belongs to', () => {
    // Overloaded: the claim was sent before the filing's change arrived; both arrive late.
    const all = deliveries([filed, claim], [page({ t1: [2_500, 2_600] })]);
    expect(all.get(filed)).toEqual({ latencies: [1_500], missing: 0 });
    expect(all.get(claim)).toEqual({ latencies: [600], missing: 0 });
  });

  it('counts a filing heard a hair before its commit was reported (two processes, one clock) as heard', () => {
    const pages = [page({ t1: [999.8] })];
    expect(deliveries([filed], pages).get(filed)?.missing).toBe(0);
    expect(heardEverywhere('t1', 1, pages)).toBe(true);
  });

  it('is ready for the next action only when every page heard every change of the ticket', () => {
    expect(heardEverywhere('t1', 2, [page({ t1: [1_010, 2_010] }), page({ t1: [1_010] })])).toBe(false);
    expect(heardEverywhere('t1', 2, [page({ t1: [1_010, 2_010] }), page({ t1: [1_010, 2_030] })])).toBe(true);
  });
});
