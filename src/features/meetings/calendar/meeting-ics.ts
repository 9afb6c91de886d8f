/**
 * Meetings as RFC 5545 calendars: one meeting (the invitation's .ics) or a person's feed. Each
 * event's UID is the meeting's own id, so a calendar app updates the event it has rather than
 * adding another; SEQUENCE is the meeting's version (bumped by every move and cancellation), and
 * a cancelled meeting stays in with STATUS:CANCELLED so apps remove it. Times are written in UTC,
 * which every calendar app reads without a VTIMEZONE. Pure.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface CalendarMeeting {
  id: string;
  number: string;
  title: string;
  place: string | null;
  startsAt: Date;
  endsAt: Date;
  status: string;
  version: number;
  updatedAt: Date;
  /** The agenda and answer in the reader's words, as the event's description. */
  description: string;
}

/** The domain the UIDs are made unique in. */
const UID_DOMAIN = 'linli.meetings';

export function meetingUid(meetingId: string): string {
  return `${meetingId}@${UID_DOMAIN}`;
}

/** A calendar of the meetings, named `name`. */
export function meetingsCalendar(name: string, meetings: readonly CalendarMeeting[]): string {
  const calendar = ical({ name, prodId: { company: 'Linli', product: 'meetings', language: 'ZH' }, method: ICalCalendarMethod.PUBLISH });
  for (const meeting of meetings) {
    calendar.createEvent({
      id: meetingUid(meeting.id),
      sequence: meeting.version,
      start: meeting.startsAt,
      end: meeting.endsAt,
      stamp: meeting.updatedAt,
      summary: `${meeting.title} (${meeting.number})`,
      description: meeting.description,
      ...(meeting.place ? { location: meeting.place } : {}),
      status: meeting.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
