/**
 * An account's overall budget as the delivery workers use it, on every backend's pacer: slots
 * go out at the rate and no faster, also when two processes share the account; the most urgent
 * message waiting takes the next slot, so a reply waits one slot at most behind a bulk send;
 * and a 429's hold stops every process's gate until it ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountGate, slotsWithinWindow } from '../../src/outbox/account-gate.js';
import { accountPaceKey, type SendPacer } from '../../src/outbox/send-pacer.js';
import { uniqueSuffix } from '../queue/support/targets.js';
import { waitFor } from '../support/wait-for.js';
import { deliveryTargets, openDeliveryTarget, type DeliveryTarget } from './support/delivery-target.js';

/**
 * The pacing cell keeps time by its backend's clock (Redis TIME, the database's now()) and the
 * test by the process's: on one machine they agree to within a millisecond or two.
 */
const CLOCKS_MS = 5;
const BULK = 20;
const REPLY = 2;

/** The spacing of a gate's slots for a platform rate (a little under the rate; see `slotsWithinWindow`). */
const slotMs = (rate: { max: number; perMs: number }) => {
  const slots = slotsWithinWindow(rate);
  return slots.perMs / slots.max;
};

describe.each(deliveryTargets())('account gate on %s', (kind) => {
  let target: DeliveryTarget;

  beforeAll(async () => {
    target = await openDeliveryTarget(kind);
  });
  afterAll(async () => {
    await target?.close();
  });

  const account = (what: string) => accountPaceKey(`${what}-${uniqueSuffix()}`);

  /** Acquires `n` slots at `priority` at once; resolves with the time each was given. */
  function acquireMany(gate: AccountGate, n: number, priority: number): Promise<number[]> {
    return Promise.all(Array.from({ length: n }, () => gate.acquire(priority).then(() => Date.now())));
  }

  it('keeps a platform window from ever holding one too many: one slot spare, and room for arrival jitter', () => {
    expect(slotsWithinWindow({ max: 30, perMs: 1000 })).toEqual({ max: 29, perMs: 1010 });
    // 29 a second at 34.8 ms: a 1 s window starting on a send, its messages 10 ms late, holds 30.
    expect(Math.floor((1000 + 10) / slotMs({ max: 30, perMs: 1000 })) + 1).toBeLessThanOrEqual(30);
    // Whereas slots at exactly 1000 / 30 would let such a window hold 31.
    expect(Math.floor((1000 + 10) / (1000 / 30)) + 1).toBe(31);
    expect(slotsWithinWindow({ max: 1, perMs: 3000 })).toEqual({ max: 1, perMs: 3000 });
  });

  it('gives slots evenly, and no faster than the rate', async () => {
    const rate = { max: 50, perMs: 1000 };
    const slot = slotMs(rate); // about 20 ms
    const gate = new AccountGate(target.pacer, account('rate'), rate);
    const start = Date.now();
    const times = (await acquireMany(gate, 26, BULK)).sort((a, b) => a - b);
    expect(times).toHaveLength(26);
    // Never early: the k-th message goes at its slot, k slots after the first (which is no earlier
    // than the asking), or later. A busy machine only makes it later, so this cannot fail for
    // slowness; that the budget is used, not only kept to, is a speed, which bench:delivery prints.
    times.forEach((time, k) => expect(time - start, `message ${k}`).toBeGreaterThanOrEqual(k * slot - CLOCKS_MS));
    gate.close();
  });

  it('on a fast account, reserves many slots per look at the shared cell, still no faster than the rate', async () => {
    const rate = { max: 5_000, perMs: 1000 };
    const slot = slotMs(rate); // about 0.2 ms: some 24 slots begin within one round trip
    let asks = 0;
    const counting: SendPacer = {
      take: (key, sendRate, options) => {
        asks += 1;
        return target.pacer.take(key, sendRate, options);
      },
      hold: (key, ms) => target.pacer.hold(key, ms),
      prune: (idleMs) => target.pacer.prune(idleMs),
      close: async () => undefined,
    };
    const gate = new AccountGate(counting, account('fast'), rate);
    const start = Date.now();
    const times = (await acquireMany(gate, 200, BULK)).sort((a, b) => a - b);
    times.forEach((time, k) => expect(time - start, `message ${k}`).toBeGreaterThanOrEqual(k * slot - CLOCKS_MS));
    // Two at a time would have taken 100 looks.
    expect(asks).toBeLessThan(50);
    gate.close();
  });

  it('shares one budget between two processes’ gates on the same account', async () => {
    const key = account('shared');
    const rate = { max: 50, perMs: 1000 };
    const first = new AccountGate(target.pacer, key, rate);
    const second = new AccountGate(target.pacer, key, rate);
    const start = Date.now();
    const times = (await Promise.all([acquireMany(first, 15, BULK), acquireMany(second, 15, BULK)])).flat().sort((a, b) => a - b);
    // 30 slots between them: together no faster than one gate alone (the k-th no earlier than k slots on).
    times.forEach((time, k) => expect(time - start, `message ${k}`).toBeGreaterThanOrEqual(k * slotMs(rate) - CLOCKS_MS));
    first.close();
    second.close();
  });

  it('gives the next slot to a reply that arrives while bulk messages wait: one slot at most', async () => {
    const rate = { max: 10, perMs: 1000 };
    const gate = new AccountGate(target.pacer, account('urgent'), rate); // about 100 ms slots
    const order: string[] = [];
    const bulk = Array.from({ length: 6 }, (_, i) => gate.acquire(BULK).then(() => order.push(`bulk${i}`)));
    // Let two bulk slots go, then a reply arrives with four bulk messages still waiting.
    await waitFor(() => order.length >= 2, 'two bulk slots');
    await gate.acquire(REPLY);
    order.push('reply');
    await Promise.all(bulk);
    // At most the slot already reserved went to bulk first; the reply took the next (how long a
    // slot takes is the pacer's arithmetic, checked in send-pacer.test.ts, not the machine's speed).
    expect(order.indexOf('reply')).toBeLessThanOrEqual(3);
    gate.close();
  });

  it('stops every gate on the account while a 429 hold lasts, then goes on', async () => {
    const key = account('held');
    const rate = { max: 100, perMs: 1000 };
    const first = new AccountGate(target.pacer, key, rate);
    const second = new AccountGate(target.pacer, key, rate);
    const heldAt = Date.now();
    await first.hold(300);
    const times = await Promise.all([acquireMany(first, 2, BULK), acquireMany(second, 2, REPLY)]);
    for (const time of times.flat()) expect(time - heldAt).toBeGreaterThanOrEqual(300 - 2);
    first.close();
    second.close();
  });

  it('lets waiting callers go with an error when closed, and refuses new ones', async () => {
    const gate = new AccountGate(target.pacer, account('closed'), { max: 1, perMs: 60_000 });
    await gate.acquire(BULK);
    const waiting = gate.acquire(BULK);
    gate.close();
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(gate.acquire(REPLY)).rejects.toThrow(/closed/);
  });
});
