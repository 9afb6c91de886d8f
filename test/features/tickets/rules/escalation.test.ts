import { describe, expect, it } from 'vitest';
import { nextBiweeklyForum } from '../../../../src/features/tickets/rules/biweekly-forum.js';
import { escalationFor, escalationsKeptOnReopen, type EscalationTicket } from '../../../../src/features/tickets/rules/escalation.js';

const at = (local: string) => new Date(`${local}+08:00`);
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
const BJ = 'Asia/Shanghai';
const forum = { anchor: at('2026-01-06T15:00:00'), timezone: BJ };

const ticket: EscalationTicket = {
  status: 'new',
  major: false,
  firstRespondedAt: null,
  firstResponseDue: at('2026-01-05T13:00:00'),
  committeeEscalationDue: at('2026-01-05T17:00:00'),
  resolutionDue: at('2026-01-12T09:00:00'),
  done: [],
};

describe('escalationFor', () => {
  it('nothing before the first-response deadline', () => {
    expect(escalationFor(ticket, ms(ticket.firstResponseDue, -1), forum)).toEqual([]);
  });

  it('at the deadline instant without an answer, the steward is reminded', () => {
    expect(escalationFor(ticket, ticket.firstResponseDue, forum)).toEqual([{ step: 'first_response_overdue', notify: 'steward' }]);
  });

  it('an answer exactly at the deadline is in time', () => {
    expect(escalationFor({ ...ticket, firstRespondedAt: ticket.firstResponseDue }, ms(ticket.firstResponseDue, 1), forum)).toEqual([]);
  });

  it('then the committee, once the steward step is taken', () => {
    const later = { ...ticket, done: ['first_response_overdue' as const] };
    expect(escalationFor(later, ms(ticket.committeeEscalationDue, -1), forum)).toEqual([]);
    expect(escalationFor(later, ticket.committeeEscalationDue, forum)).toEqual([{ step: 'first_response_overdue_committee', notify: 'committee' }]);
  });

  it('a late job catches up with both steps in ladder order', () => {
    expect(escalationFor(ticket, ticket.committeeEscalationDue, forum).map((e) => e.step)).toEqual(['first_response_overdue', 'first_response_overdue_committee']);
  });

  it('an unresolved ticket at its resolution deadline goes on the next forum’s agenda', () => {
    const answered = { ...ticket, status: 'in_progress' as const, firstRespondedAt: at('2026-01-05T10:00:00') };
    expect(escalationFor(answered, ms(answered.resolutionDue!, -1), forum)).toEqual([]);
    // Monday 12 January 09:00 → the sitting after Tuesday 6 January is Tuesday 20 January 15:00.
    expect(escalationFor(answered, answered.resolutionDue!, forum)).toEqual([{ step: 'forum_agenda', reason: 'overdue', forumAt: at('2026-01-20T15:00:00') }]);
  });

  it('a major ticket goes on the agenda at once, and only once', () => {
    const major = { ...ticket, major: true, firstRespondedAt: at('2026-01-05T10:00:00') };
    expect(escalationFor(major, at('2026-01-05T11:00:00'), forum)).toEqual([{ step: 'forum_agenda', reason: 'major', forumAt: at('2026-01-06T15:00:00') }]);
    expect(escalationFor({ ...major, done: ['forum_agenda'] }, at('2026-01-30T11:00:00'), forum)).toEqual([]);
  });

  it('without a forum schedule the item is still raised, undated', () => {
    expect(escalationFor({ ...ticket, major: true, firstRespondedAt: ticket.firstResponseDue }, at('2026-01-05T11:00:00'), null)).toEqual([{ step: 'forum_agenda', reason: 'major', forumAt: null }]);
  });

  it('praise (no resolution deadline) is never overdue for the forum', () => {
    const praise = { ...ticket, resolutionDue: null, firstRespondedAt: at('2026-01-05T10:00:00') };
    expect(escalationFor(praise, at('2027-01-01T00:00:00'), forum)).toEqual([]);
  });

  it.each(['resolved', 'closed', 'withdrawn', 'merged'] as const)('a %s ticket never escalates', (status) => {
    expect(escalationFor({ ...ticket, status, major: true }, at('2027-01-01T00:00:00'), forum)).toEqual([]);
  });

  it('a reopened ticket may be reminded again but not put before the forum twice', () => {
    expect(escalationsKeptOnReopen(['first_response_overdue', 'first_response_overdue_committee', 'forum_agenda'])).toEqual(['forum_agenda']);
    expect(escalationsKeptOnReopen(['first_response_overdue'])).toEqual([]);
  });
});

describe('nextBiweeklyForum', () => {
  const anchor = at('2026-01-06T15:00:00');

  it('is strictly after the given instant', () => {
    expect(nextBiweeklyForum(ms(anchor, -1), anchor, BJ)).toEqual(anchor);
    expect(nextBiweeklyForum(anchor, anchor, BJ)).toEqual(at('2026-01-20T15:00:00'));
    expect(nextBiweeklyForum(ms(anchor, 1), anchor, BJ)).toEqual(at('2026-01-20T15:00:00'));
  });

  it('keeps the 14-day rhythm far from the anchor, both ways', () => {
    // 26 sittings × 14 days = 364 days after the anchor.
    expect(nextBiweeklyForum(at('2026-12-31T00:00:00'), anchor, BJ)).toEqual(at('2027-01-05T15:00:00'));
    expect(nextBiweeklyForum(at('2025-12-20T00:00:00'), anchor, BJ)).toEqual(at('2025-12-23T15:00:00'));
    expect(nextBiweeklyForum(at('2025-12-23T15:00:00'), anchor, BJ)).toEqual(anchor);
  });

  it('keeps the local hour across a daylight-saving change', () => {
    const berlin = new Date('2026-03-17T18:00:00+01:00');
    expect(nextBiweeklyForum(new Date('2026-03-20T00:00:00+01:00'), berlin, 'Europe/Berlin')).toEqual(new Date('2026-03-31T18:00:00+02:00'));
  });
});
