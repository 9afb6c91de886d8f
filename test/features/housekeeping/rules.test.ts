/**
 * The housekeeping rules at their boundaries: the cut-off (closed at its very instant), the
 * reminders (the day before and an hour before; one whose moment passed is not sent), what is
 * offered (only slots with a place left and before their cut-off), and slot times in the
 * community's time zone.
 */
import { describe, expect, it } from 'vitest';
import { changesCloseAt, openForChanges } from '../../../src/features/housekeeping/rules/change-cutoff.js';
import { bookableSlots, offeredDates, placesLeft, type SlotFacts } from '../../../src/features/housekeeping/rules/offered-slots.js';
import { reminderAt, reminderStanding, upcomingReminders } from '../../../src/features/housekeeping/rules/reminders.js';
import { resolutionNotBefore, type DueTimes } from '../../../src/features/tickets/rules/deadlines.js';
import { localDatesBetween, parseLocalDate, parseSlotWindow, slotInstants } from '../../../src/features/housekeeping/rules/slot-times.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const start = new Date('2026-12-11T01:00:00Z'); // 09:00 in Asia/Shanghai

describe('the cut-off', () => {
  it('is open until just before the cut-off and closed at its very instant', () => {
    const closes = changesCloseAt(start, 720);
    expect(closes.toISOString()).toBe('2026-12-10T13:00:00.000Z');
    expect(openForChanges(start, 720, new Date(closes.getTime() - 1))).toBe(true);
    expect(openForChanges(start, 720, closes)).toBe(false);
    expect(openForChanges(start, 720, new Date(closes.getTime() + 1))).toBe(false);
  });

  it('of zero allows changes until the visit starts', () => {
    expect(openForChanges(start, 0, new Date(start.getTime() - 1))).toBe(true);
    expect(openForChanges(start, 0, start)).toBe(false);
  });
});

describe('reminders', () => {
  it('are due a day and an hour before the visit', () => {
    expect(reminderAt('day_before', start).toISOString()).toBe('2026-12-10T01:00:00.000Z');
    expect(reminderAt('hour_before', start).toISOString()).toBe('2026-12-11T00:00:00.000Z');
  });

  it('booked well ahead: both to come', () => {
    expect(upcomingReminders(start, new Date(start.getTime() - 48 * HOUR)).map((r) => r.kind)).toEqual(['day_before', 'hour_before']);
  });

  it('booked at the day-before moment or later: only the hour’s', () => {
    expect(upcomingReminders(start, new Date(start.getTime() - 24 * HOUR - 1)).map((r) => r.kind)).toEqual(['day_before', 'hour_before']);
    expect(upcomingReminders(start, new Date(start.getTime() - 24 * HOUR)).map((r) => r.kind)).toEqual(['hour_before']);
  });

  it('booked within the hour: none', () => {
    expect(upcomingReminders(start, new Date(start.getTime() - HOUR))).toEqual([]);
  });

  it('a job is early before its moment, due from it, late once the visit began', () => {
    const at = reminderAt('hour_before', start);
    expect(reminderStanding('hour_before', start, new Date(at.getTime() - 1))).toBe('early');
    expect(reminderStanding('hour_before', start, at)).toBe('due');
    expect(reminderStanding('hour_before', start, new Date(start.getTime() - 1))).toBe('due');
    expect(reminderStanding('hour_before', start, start)).toBe('late');
  });
});

describe('what is offered', () => {
  const slot = (id: string, date: string, hourUtc: number, places: number, booked: number): SlotFacts => ({
    id,
    date,
    startTime: '09:00',
    endTime: '11:00',
    startsAt: new Date(`${date}T${String(hourUtc).padStart(2, '0')}:00:00Z`),
    places,
    booked,
  });
  const now = new Date('2026-12-10T00:00:00Z');

  it('places left never go below none', () => {
    expect(placesLeft({ places: 2, booked: 1 })).toBe(1);
    expect(placesLeft({ places: 2, booked: 2 })).toBe(0);
    expect(placesLeft({ places: 1, booked: 3 })).toBe(0);
  });

  it('only slots with a place left and before their cut-off, earliest first', () => {
    const slots = [
      slot('later', '2026-12-12', 1, 3, 0),
      slot('full', '2026-12-11', 1, 2, 2),
      slot('one_left', '2026-12-11', 6, 2, 1),
      // Starts 12 h after now: its 12 h cut-off is now, so it is closed.
      slot('closing', '2026-12-10', 12, 5, 0),
    ];
    expect(bookableSlots(slots, 720, now).map((s) => s.id)).toEqual(['one_left', 'later']);
    expect(offeredDates(slots, 720, now, 7)).toEqual([
      { date: '2026-12-11', left: 1 },
      { date: '2026-12-12', left: 3 },
    ]);
    expect(offeredDates(slots, 720, now, 1)).toEqual([{ date: '2026-12-11', left: 1 }]);
  });
});

describe('slot times', () => {
  it('reads a window of the day', () => {
    expect(parseSlotWindow('09:00-11:00')).toEqual({ startTime: '09:00', endTime: '11:00' });
    expect(parseSlotWindow(' 9:00 – 11:30 ')).toEqual({ startTime: '09:00', endTime: '11:30' });
    expect(parseSlotWindow('11:00-09:00')).toBeNull();
    expect(parseSlotWindow('11:00-11:00')).toBeNull();
    expect(parseSlotWindow('24:00-25:00')).toBeNull();
    expect(parseSlotWindow('morning')).toBeNull();
  });

  it('reads calendar dates only', () => {
    expect(parseLocalDate('2026-12-10')).toEqual({ year: 2026, month: 12, day: 10 });
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('10/12/2026')).toBeNull();
    expect(localDatesBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(localDatesBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it('are instants in the community’s time zone, whatever the server’s', () => {
    const window = { startTime: '09:00', endTime: '11:00' };
    expect(slotInstants('2026-12-11', window, 'Asia/Shanghai')).toEqual({ startsAt: new Date('2026-12-11T01:00:00Z'), endsAt: new Date('2026-12-11T03:00:00Z') });
    expect(slotInstants('2026-12-11', window, 'Asia/Urumqi').startsAt).toEqual(new Date('2026-12-11T03:00:00Z'));
  });
});

describe('a booking’s ticket deadline', () => {
  const due: DueTimes = {
    tier: 'ordinary',
    clock: 'continuous',
    firstResponseDue: new Date('2026-12-10T02:00:00Z'),
    committeeEscalationDue: new Date('2026-12-11T02:00:00Z'),
    resolutionDue: new Date('2026-12-16T02:00:00Z'),
    publicResolutionDue: new Date('2026-12-16T02:00:00Z'),
  };

  it('is not before the visit ends; a later deadline, the first response and none at all stay', () => {
    const visitEnd = new Date('2026-12-20T03:00:00Z');
    expect(resolutionNotBefore(due, visitEnd)).toEqual({ ...due, resolutionDue: visitEnd, publicResolutionDue: visitEnd });
    expect(resolutionNotBefore(due, new Date('2026-12-16T02:00:00Z'))).toEqual(due);
    expect(resolutionNotBefore(due, new Date('2026-12-12T03:00:00Z'))).toEqual(due);
    expect(resolutionNotBefore({ ...due, resolutionDue: null, publicResolutionDue: null }, visitEnd).resolutionDue).toBeNull();
  });
});
