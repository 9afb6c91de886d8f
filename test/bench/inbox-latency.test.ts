/**
 * bench:inbox's accounting of which change on a page belongs to which filing or action: a
 * change counts once, for the cause it followed, and a page that never heard it counts as missing.
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

  it('gives each page’s first change after a cause to that cause, and counts a page that never heard it', () => {
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
    const all = deliveries([filed, claim], [page({ t1: [1_010] })]);
    expect(all.get(claim)).toEqual({ latencies: [], missing: 1 });
    expect(heardEverywhere(claim, [page({ t1: [1_010] })])).toBe(false);
  });

  it('counts a filing heard a hair before its commit was reported (two processes, one clock) as heard', () => {
    const all = deliveries([filed], [page({ t1: [999.8] })]);
    expect(all.get(filed)?.missing).toBe(0);
    expect(heardEverywhere(filed, [page({ t1: [999.8] })])).toBe(true);
  });

  it('is ready for the next action only when every page heard the last change', () => {
    expect(heardEverywhere(claim, [page({ t1: [1_010, 2_010] }), page({ t1: [1_010] })])).toBe(false);
    expect(heardEverywhere(claim, [page({ t1: [1_010, 2_010] }), page({ t1: [1_010, 2_030] })])).toBe(true);
  });
});
