import { describe, expect, it } from 'vitest';
import { isOpen, nextStatus, WORK_ORDER_STATUSES, type WorkOrderStatus } from '../../../src/features/repairs/rules/work-order-state.js';
import { REPAIR_KINDS, skillFor } from '../../../src/features/repairs/rules/repair-kinds.js';
import { SKILLS } from '../../../src/features/community/vocabulary.js';

describe('repair job states', () => {
  it('walks the whole path: offered, accepted, on the way, done, confirmed', () => {
    let status: WorkOrderStatus = 'received';
    for (const [move, expected] of [
      ['offer', 'offered'],
      ['accept', 'accepted'],
      ['on_the_way', 'on_the_way'],
      ['done', 'done'],
      ['confirm', 'confirmed'],
    ] as const) {
      const next = nextStatus(status, move);
      expect(next).toBe(expected);
      status = next!;
    }
    expect(isOpen(status)).toBe(false);
  });

  it('a decline or timeout offers it to the next member; nobody left leaves it unassigned', () => {
    expect(nextStatus('offered', 'offer')).toBe('offered');
    expect(nextStatus('offered', 'nobody')).toBe('unassigned');
    expect(nextStatus('unassigned', 'offer')).toBe('offered');
  });

  it('"not fixed" sends a done job back to being held, and only a done one', () => {
    expect(nextStatus('done', 'not_fixed')).toBe('accepted');
    for (const status of WORK_ORDER_STATUSES.filter((s) => s !== 'done')) expect(nextStatus(status, 'not_fixed')).toBeNull();
  });

  it('nothing moves a confirmed or cancelled job', () => {
    for (const status of ['confirmed', 'cancelled'] as const) {
      for (const move of ['offer', 'accept', 'cancel', 'reassign', 'take_over', 'done', 'not_fixed'] as const) expect(nextStatus(status, move)).toBeNull();
    }
  });

  it('a job cannot be accepted twice: accepting needs an open offer', () => {
    expect(nextStatus('accepted', 'accept')).toBeNull();
    expect(nextStatus('unassigned', 'accept')).toBeNull();
  });

  it('a done job cannot be cancelled (the work happened) but every open one can', () => {
    expect(nextStatus('done', 'cancel')).toBeNull();
    for (const status of WORK_ORDER_STATUSES.filter(isOpen)) expect(nextStatus(status, 'cancel')).toBe('cancelled');
  });

  it('every repair kind needs a known skill or any member', () => {
    for (const kind of REPAIR_KINDS) {
      const skill = skillFor(kind);
      if (skill !== null) expect(SKILLS).toContain(skill);
    }
    expect(skillFor('other')).toBeNull();
  });
});
