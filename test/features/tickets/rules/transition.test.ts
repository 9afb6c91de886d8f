import { describe, expect, it } from 'vitest';
import { REOPEN_WINDOW_MS, reopenWindowEnd, withinReopenWindow } from '../../../../src/features/tickets/rules/reopen-window.js';
import { newTicketState, type TicketActor, type TicketState } from '../../../../src/features/tickets/rules/ticket-state.js';
import { offersNewTicket, transition, type TicketAction } from '../../../../src/features/tickets/rules/transition.js';

const T0 = new Date('2026-01-05T09:00:00+08:00');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const resident: TicketActor = { kind: 'resident', residentId: 'r-wang' };
const liaison: TicketActor = { kind: 'resident', residentId: 'r-liaison' };
const neighbour: TicketActor = { kind: 'resident', residentId: 'r-li' };
const steward: TicketActor = { kind: 'staff', staffId: 's-zhao' };
const other: TicketActor = { kind: 'staff', staffId: 's-qian' };
const system: TicketActor = { kind: 'system' };

function filed(overrides: Partial<TicketState> = {}): TicketState {
  return { ...newTicketState({ id: 't1', kind: 'complaint', reporterId: 'r-wang', filedById: 'r-wang', assigneeId: 's-zhao' }).ticket, ...overrides };
}

function apply(ticket: TicketState, ...actions: TicketAction[]): TicketState {
  return actions.reduce((t, a) => {
    const result = transition(t, a);
    if (!result.ok) throw new Error(`${a.type}: ${result.error}`);
    return result.ticket;
  }, ticket);
}

function resolved(at = T0): TicketState {
  return apply(filed(), { type: 'resolve', actor: steward, at });
}

describe('filing', () => {
  it('starts new, routed, with clocks to start and the resident told the number', () => {
    const { ticket, effects } = newTicketState({ id: 't1', kind: 'complaint', reporterId: 'r-wang', filedById: 'r-wang', assigneeId: 's-zhao' });
    expect(ticket).toMatchObject({ status: 'new', assigneeId: 's-zhao', major: false, resolutionCount: 0, ratedResolution: 0 });
    expect(effects).toEqual(['notify_resident', 'schedule_deadlines', 'notify_assignee']);
  });

  it('filed by a liaison for a neighbour: the household is told too', () => {
    expect(newTicketState({ id: 't1', kind: 'complaint', reporterId: 'r-wang', filedById: 'r-liaison', assigneeId: null }).effects).toContain('notify_household');
    expect(newTicketState({ id: 't1', kind: 'complaint', reporterId: null, filedById: 'r-liaison', assigneeId: null }).effects).not.toContain('notify_household');
  });
});

describe('who may act', () => {
  it.each(['claim', 'resolve', 'mark_major', 'note', 'reopen'] as const)('a resident pressing a forged "%s" button is refused', (type) => {
    expect(transition(filed(), { type, actor: resident, at: T0 })).toEqual({ ok: false, error: 'staff_only' });
  });

  it('a resident cannot assign or merge', () => {
    expect(transition(filed(), { type: 'assign', to: 'r-wang', actor: resident, at: T0 })).toEqual({ ok: false, error: 'staff_only' });
    expect(transition(filed(), { type: 'merge', into: { id: 't2', status: 'new' }, actor: resident, at: T0 })).toEqual({ ok: false, error: 'staff_only' });
  });

  it('staff cannot withdraw, rate or write as the resident; nobody but the system auto-closes', () => {
    expect(transition(filed(), { type: 'withdraw', actor: steward, at: T0 })).toEqual({ ok: false, error: 'resident_only' });
    expect(transition(resolved(), { type: 'rate', stars: 5, actor: steward, at: T0 })).toEqual({ ok: false, error: 'resident_only' });
    expect(transition(resolved(), { type: 'auto_close', actor: steward, at: later(10_081 * 24) })).toEqual({ ok: false, error: 'system_only' });
    expect(transition(filed(), { type: 'message', actor: system, at: T0 })).toEqual({ ok: false, error: 'resident_only' });
  });

  it('a second resident cannot see into, withdraw or rate the first one’s ticket', () => {
    expect(transition(filed(), { type: 'message', actor: neighbour, at: T0 })).toEqual({ ok: false, error: 'not_your_ticket' });
    expect(transition(filed(), { type: 'withdraw', actor: neighbour, at: T0 })).toEqual({ ok: false, error: 'not_your_ticket' });
    expect(transition(resolved(), { type: 'rate', stars: 1, actor: neighbour, at: T0 })).toEqual({ ok: false, error: 'not_your_ticket' });
  });

  it('the liaison who filed may add to it, but the reporter rates it', () => {
    const ticket = filed({ filedById: 'r-liaison' });
    expect(transition(ticket, { type: 'message', actor: liaison, at: T0 }).ok).toBe(true);
    const done = apply(ticket, { type: 'resolve', actor: steward, at: T0 });
    expect(transition(done, { type: 'rate', stars: 4, actor: liaison, at: T0 })).toEqual({ ok: false, error: 'not_your_ticket' });
    expect(transition(done, { type: 'rate', stars: 4, actor: resident, at: T0 }).ok).toBe(true);
  });

  it('the liaison rates when the household has no account', () => {
    const done = apply(filed({ reporterId: null, filedById: 'r-liaison' }), { type: 'resolve', actor: steward, at: T0 });
    expect(transition(done, { type: 'rate', stars: 4, actor: liaison, at: T0 }).ok).toBe(true);
  });
});

describe('claiming and assigning', () => {
  it('claim takes a new ticket in hand; it is not yet a first response', () => {
    const result = transition(filed(), { type: 'claim', actor: other, at: T0 });
    expect(result).toMatchObject({ ok: true, noop: false, ticket: { status: 'in_progress', assigneeId: 's-qian', firstRespondedAt: null } });
  });

  it('a second tap on claim changes nothing; someone else claiming is told to assign', () => {
    const claimed = apply(filed(), { type: 'claim', actor: steward, at: T0 });
    expect(transition(claimed, { type: 'claim', actor: steward, at: T0 })).toMatchObject({ ok: true, noop: true, effects: [] });
    expect(transition(claimed, { type: 'claim', actor: other, at: T0 })).toEqual({ ok: false, error: 'already_claimed' });
  });

  it('assigning to someone else tells them and leaves a new ticket new', () => {
    const result = transition(filed(), { type: 'assign', to: 's-sun', actor: steward, at: T0 });
    expect(result).toMatchObject({ ok: true, effects: ['notify_assignee'], ticket: { status: 'new', assigneeId: 's-sun' } });
  });

  it('assigning to oneself is taking it in hand; assigning to the holder is a no-op', () => {
    expect(transition(filed({ assigneeId: null }), { type: 'assign', to: 's-zhao', actor: steward, at: T0 })).toMatchObject({ ok: true, effects: [], ticket: { status: 'in_progress' } });
    expect(transition(filed(), { type: 'assign', to: 's-zhao', actor: other, at: T0 })).toMatchObject({ ok: true, noop: true });
  });

  it('nothing is claimed or assigned once resolved', () => {
    expect(transition(resolved(), { type: 'claim', actor: other, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
    expect(transition(resolved(), { type: 'assign', to: 's-sun', actor: other, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
  });
});

describe('replying, notes, major', () => {
  it('the first reply is the first response and moves a new ticket on, without taking it from its assignee', () => {
    const result = transition(filed(), { type: 'reply', actor: other, at: later(30) });
    expect(result).toMatchObject({ ok: true, effects: ['notify_resident', 'cancel_first_response_deadline'], ticket: { status: 'in_progress', assigneeId: 's-zhao' } });
    if (!result.ok) return;
    expect(result.ticket.firstRespondedAt).toEqual(later(30));
    const second = transition(result.ticket, { type: 'reply', actor: steward, at: later(60) });
    expect(second).toMatchObject({ ok: true, effects: ['notify_resident'] });
    if (second.ok) expect(second.ticket.firstRespondedAt).toEqual(later(30));
  });

  it('staff may still write to the resident after resolving, without reopening', () => {
    expect(transition(resolved(), { type: 'reply', actor: steward, at: later(5) })).toMatchObject({ ok: true, ticket: { status: 'resolved' }, effects: ['notify_resident'] });
  });

  it('no replies to withdrawn, merged or closed tickets', () => {
    for (const status of ['withdrawn', 'merged', 'closed'] as const) {
      expect(transition(filed({ status }), { type: 'reply', actor: steward, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
    }
  });

  it('an internal note never reaches the resident and is allowed in any status', () => {
    for (const status of ['new', 'in_progress', 'resolved', 'closed', 'withdrawn', 'merged'] as const) {
      expect(transition(filed({ status }), { type: 'note', actor: steward, at: T0 })).toMatchObject({ ok: true, effects: [], noop: false });
    }
  });

  it('marking major puts it on the forum agenda once', () => {
    const result = transition(filed(), { type: 'mark_major', actor: steward, at: T0 });
    expect(result).toMatchObject({ ok: true, effects: ['add_forum_agenda'], ticket: { major: true } });
    if (result.ok) expect(transition(result.ticket, { type: 'mark_major', actor: other, at: T0 })).toMatchObject({ ok: true, noop: true, effects: [] });
    expect(transition(resolved(), { type: 'mark_major', actor: steward, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
  });
});

describe('resolving and rating', () => {
  it('resolving tells the resident, stops the clocks, schedules closing and asks for a rating', () => {
    const result = transition(filed(), { type: 'resolve', actor: steward, at: later(60) });
    expect(result).toMatchObject({
      ok: true,
      effects: ['notify_resident', 'cancel_deadlines', 'schedule_auto_close', 'close_staff_thread', 'ask_rating'],
      ticket: { status: 'resolved', resolvedById: 's-zhao', resolutionCount: 1 },
    });
    // A resolution straight away is also the first response.
    if (result.ok) expect(result.ticket.firstRespondedAt).toEqual(later(60));
  });

  it('praise is resolved without asking for a rating, and cannot be rated', () => {
    const praise = filed({ kind: 'praise' });
    const result = transition(praise, { type: 'resolve', actor: steward, at: T0 });
    expect(result.ok && result.effects).not.toContain('ask_rating');
    if (result.ok) expect(transition(result.ticket, { type: 'rate', stars: 5, actor: resident, at: T0 })).toEqual({ ok: false, error: 'not_rated_kind' });
  });

  it('accepts one rating per resolution, 1 to 5 whole stars', () => {
    const done = resolved();
    expect(transition(done, { type: 'rate', stars: 1, actor: resident, at: T0 })).toMatchObject({ ok: true, ticket: { rating: 1, ratedResolution: 1 } });
    expect(transition(done, { type: 'rate', stars: 5, actor: resident, at: T0 })).toMatchObject({ ok: true, ticket: { rating: 5 } });
    const rated = apply(done, { type: 'rate', stars: 4, actor: resident, at: T0 });
    expect(transition(rated, { type: 'rate', stars: 5, actor: resident, at: T0 })).toEqual({ ok: false, error: 'already_rated' });
  });

  it.each([0, 6, 3.5, Number.NaN, -1])('refuses %s stars', (stars) => {
    expect(transition(resolved(), { type: 'rate', stars, actor: resident, at: T0 })).toEqual({ ok: false, error: 'invalid_rating' });
  });

  it('nothing to rate while open; a rating may still come after the ticket closed', () => {
    expect(transition(filed(), { type: 'rate', stars: 4, actor: resident, at: T0 })).toEqual({ ok: false, error: 'rating_not_open' });
    const closed = apply(resolved(), { type: 'auto_close', actor: system, at: later(8 * 24 * 60) });
    expect(transition(closed, { type: 'rate', stars: 4, actor: resident, at: later(9 * 24 * 60) }).ok).toBe(true);
  });

  it('after a reopen, the next resolution is rated again; the old rating button is refused meanwhile', () => {
    const rated = apply(resolved(), { type: 'rate', stars: 2, actor: resident, at: later(10) });
    const reopened = apply(rated, { type: 'message', actor: resident, at: later(20) });
    expect(transition(reopened, { type: 'rate', stars: 3, actor: resident, at: later(21) })).toEqual({ ok: false, error: 'rating_not_open' });
    const again = transition(reopened, { type: 'resolve', actor: steward, at: later(60) });
    expect(again.ok && again.effects).toContain('ask_rating');
    if (!again.ok) return;
    expect(again.ticket.resolutionCount).toBe(2);
    expect(transition(again.ticket, { type: 'rate', stars: 5, actor: resident, at: later(70) })).toMatchObject({ ok: true, ticket: { rating: 5, ratedResolution: 2 } });
  });
});

describe('reopening by a resident’s message (7 days, inclusive)', () => {
  it('a message to an open ticket goes to staff and changes nothing else', () => {
    expect(transition(filed(), { type: 'message', actor: resident, at: T0 })).toMatchObject({ ok: true, effects: ['notify_staff'], ticket: { status: 'new' } });
  });

  it('exactly 7 × 24 h after the resolution still reopens', () => {
    const at = new Date(T0.getTime() + REOPEN_WINDOW_MS);
    const result = transition(resolved(), { type: 'message', actor: resident, at });
    expect(result).toMatchObject({
      ok: true,
      effects: ['notify_staff', 'schedule_deadlines', 'cancel_auto_close', 'reopen_staff_thread'],
      ticket: { status: 'in_progress', reopenCount: 1, resolvedAt: null, firstRespondedAt: null },
    });
  });

  it('one millisecond later offers a new ticket instead', () => {
    const at = new Date(T0.getTime() + REOPEN_WINDOW_MS + 1);
    const result = transition(resolved(), { type: 'message', actor: resident, at });
    expect(result).toEqual({ ok: false, error: 'reopen_window_passed' });
    expect(offersNewTicket('reopen_window_passed')).toBe(true);
  });

  it('a closed ticket offers a new one; a withdrawn one too; a merged one points to its target', () => {
    expect(transition(filed({ status: 'closed' }), { type: 'message', actor: resident, at: T0 })).toEqual({ ok: false, error: 'reopen_window_passed' });
    expect(transition(filed({ status: 'withdrawn' }), { type: 'message', actor: resident, at: T0 })).toEqual({ ok: false, error: 'ticket_withdrawn' });
    expect(offersNewTicket('ticket_withdrawn')).toBe(true);
    expect(transition(filed({ status: 'merged', mergedIntoId: 't9' }), { type: 'message', actor: resident, at: T0 })).toEqual({ ok: false, error: 'ticket_merged', mergedIntoId: 't9' });
    expect(offersNewTicket('ticket_merged')).toBe(false);
  });

  it('the window functions agree with the boundary', () => {
    expect(withinReopenWindow(T0, reopenWindowEnd(T0))).toBe(true);
    expect(withinReopenWindow(T0, new Date(reopenWindowEnd(T0).getTime() + 1))).toBe(false);
    expect(REOPEN_WINDOW_MS).toBe(604_800_000);
  });
});

describe('staff reopening, merging, withdrawing, closing', () => {
  it('staff may reopen a resolved or closed ticket at any time; it counts as this round’s first response', () => {
    const fromResolved = transition(resolved(), { type: 'reopen', actor: other, at: later(60) });
    expect(fromResolved).toMatchObject({ ok: true, effects: ['notify_resident', 'schedule_deadlines', 'reopen_staff_thread', 'cancel_auto_close'], ticket: { status: 'in_progress', reopenCount: 1 } });
    if (fromResolved.ok) expect(fromResolved.ticket.firstRespondedAt).toEqual(later(60));
    const fromClosed = transition(filed({ status: 'closed', resolvedAt: T0 }), { type: 'reopen', actor: other, at: later(60 * 24 * 30) });
    expect(fromClosed).toMatchObject({ ok: true, effects: ['notify_resident', 'schedule_deadlines', 'reopen_staff_thread'] });
    expect(transition(filed(), { type: 'reopen', actor: other, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
  });

  it('merges only into another open ticket, and the resident is told', () => {
    expect(transition(filed(), { type: 'merge', into: { id: 't2', status: 'in_progress' }, actor: steward, at: T0 })).toMatchObject({
      ok: true,
      effects: ['notify_resident', 'cancel_deadlines', 'close_staff_thread'],
      ticket: { status: 'merged', mergedIntoId: 't2' },
    });
    expect(transition(filed(), { type: 'merge', into: { id: 't1', status: 'new' }, actor: steward, at: T0 })).toEqual({ ok: false, error: 'merge_into_self' });
    for (const status of ['resolved', 'closed', 'withdrawn', 'merged'] as const) {
      expect(transition(filed(), { type: 'merge', into: { id: 't2', status }, actor: steward, at: T0 })).toEqual({ ok: false, error: 'merge_target_not_open' });
    }
    expect(transition(resolved(), { type: 'merge', into: { id: 't2', status: 'new' }, actor: steward, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
  });

  it('a resident withdraws an open ticket, not a resolved one', () => {
    expect(transition(filed(), { type: 'withdraw', actor: resident, at: T0 })).toMatchObject({ ok: true, effects: ['notify_staff', 'cancel_deadlines', 'close_staff_thread'], ticket: { status: 'withdrawn' } });
    expect(transition(resolved(), { type: 'withdraw', actor: resident, at: T0 })).toEqual({ ok: false, error: 'not_allowed_in_status' });
  });

  it('auto-close waits until the reopen window is over, and does nothing to a reopened ticket', () => {
    const done = resolved();
    expect(transition(done, { type: 'auto_close', actor: system, at: reopenWindowEnd(T0) })).toEqual({ ok: false, error: 'reopen_window_open' });
    expect(transition(done, { type: 'auto_close', actor: system, at: new Date(reopenWindowEnd(T0).getTime() + 1) })).toMatchObject({ ok: true, ticket: { status: 'closed' } });
    const reopened = apply(done, { type: 'message', actor: resident, at: later(5) });
    expect(transition(reopened, { type: 'auto_close', actor: system, at: later(8 * 24 * 60) })).toEqual({ ok: false, error: 'not_allowed_in_status' });
  });

  it('never changes the ticket it was given', () => {
    const ticket = filed();
    const copy = structuredClone(ticket);
    transition(ticket, { type: 'resolve', actor: steward, at: T0 });
    transition(ticket, { type: 'claim', actor: steward, at: T0 });
    expect(ticket).toEqual(copy);
  });
});
