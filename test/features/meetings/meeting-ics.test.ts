import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { meetingsCalendar, meetingUid, type CalendarMeeting } from '../../../src/features/meetings/calendar/meeting-ics.js';

const meeting: CalendarMeeting = {
  id: 'cm0meeting1',
  number: 'HY-2026-00001',
  title: '半月谈',
  place: '社区活动室',
  startsAt: new Date('2026-03-04T11:00:00Z'),
  endsAt: new Date('2026-03-04T13:00:00Z'),
  status: 'scheduled',
  version: 0,
  updatedAt: new Date('2026-02-20T00:00:00Z'),
  description: '1. 居委会半年工作报告\n2. MQ-2026-00001 路灯, 不亮; 已上报',
};

function eventsOf(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return component.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

describe('meetings as RFC 5545', () => {
  it('is read back by an independent parser: UID, times in UTC, place, description', () => {
    const [event] = eventsOf(meetingsCalendar('会议', [meeting]));
    expect(event!.uid).toBe(meetingUid(meeting.id));
    expect(event!.startDate.toJSDate().toISOString()).toBe('2026-03-04T11:00:00.000Z');
    expect(event!.endDate.toJSDate().toISOString()).toBe('2026-03-04T13:00:00.000Z');
    expect(event!.startDate.zone.tzid).toBe('UTC');
    expect(event!.location).toBe('社区活动室');
    expect(event!.description).toBe(meeting.description);
    expect(event!.summary).toContain('HY-2026-00001');
    expect(event!.sequence).toBe(0);
  });

  it('keeps the UID across a move, bumps SEQUENCE, and marks a cancellation', () => {
    const moved = { ...meeting, startsAt: new Date('2026-03-05T11:00:00Z'), endsAt: new Date('2026-03-05T13:00:00Z'), version: 1 };
    const cancelled = { ...moved, status: 'cancelled', version: 2 };
    const [m] = eventsOf(meetingsCalendar('会议', [moved]));
    const [c] = eventsOf(meetingsCalendar('会议', [cancelled]));
    expect(m!.uid).toBe(meetingUid(meeting.id));
    expect(m!.sequence).toBe(1);
    expect(c!.uid).toBe(meetingUid(meeting.id));
    expect(c!.sequence).toBe(2);
    expect(c!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(m!.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('an empty feed is still a valid calendar', () => {
    const component = new ICAL.Component(ICAL.parse(meetingsCalendar('会议', [])));
    expect(component.name).toBe('vcalendar');
    expect(component.getFirstPropertyValue('version')).toBe('2.0');
  });
});
