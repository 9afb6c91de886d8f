/**
 * The calendar addresses (RFC 5545, `text/calendar`): a person's private feed
 * (`/calendar/<token>.ics`: their meetings from 90 days back on, cancelled ones included so apps
 * remove them) and one meeting's file (`/calendar/meeting/<id>/<signature>.ics`, the link in its
 * invitation). A token or signature of the wrong shape, unknown, or renewed away is a plain 404
 * that says nothing more; nothing here answers 500 to odd input.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { MeetingWords } from '../schedule/meeting-words.js';
import { hashFeedToken, isFeedTokenShaped, meetingIcsSignature } from './feed-tokens.js';
import { meetingsCalendar, type CalendarMeeting } from './meeting-ics.js';
import { MEETING_MESSAGE_FIELDS } from '../meeting-fields.js';

export interface CalendarRoutesDeps {
  prisma: PrismaClient;
  translator: Translator;
  communityId: string;
  icsKey: string;
  now(): Date;
}

/** How far back a feed reaches. */
const FEED_PAST_DAYS = 90;

const ICS_FILE = /^([A-Za-z0-9_-]{1,64})\.ics$/;

const MEETING_SELECT = {
  ...MEETING_MESSAGE_FIELDS,
  updatedAt: true,
} as const;

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
}

function calendarReply(reply: FastifyReply, body: string): FastifyReply {
  return reply
    .code(200)
    .type('text/calendar; charset=utf-8')
    .header('cache-control', 'private, max-age=300')
    .header('x-robots-tag', 'noindex')
    .send(body);
}

export function calendarRoutes(deps: CalendarRoutesDeps) {
  return (http: FastifyInstance): void => {
    const community = () => deps.prisma.community.findUniqueOrThrow({ where: { id: deps.communityId }, select: { timezone: true, defaultLocale: true, name: true } });
    const describe = (words: MeetingWords, meeting: { agenda: unknown }, rsvp: string | null): string =>
      [words.agenda(meeting.agenda), rsvp === null ? '' : deps.translator.t(words.locale, 'meetings.calendar.your_answer', { answer: words.answer(rsvp) })].filter(Boolean).join('\n\n');

    http.get<{ Params: { file: string } }>('/calendar/:file', async (request, reply) => {
      const token = ICS_FILE.exec(request.params.file)?.[1];
      if (!token || !isFeedTokenShaped(token)) return notFound(reply);
      const feed = await deps.prisma.calendarFeed.findUnique({ where: { tokenHash: hashFeedToken(token) }, select: { residentId: true, resident: { select: { communityId: true, locale: true } } } });
      if (!feed || feed.resident.communityId !== deps.communityId) return notFound(reply);
      const place = await community();
      const locale = deps.translator.match(feed.resident.locale) ?? place.defaultLocale;
      const words = new MeetingWords(deps.translator, locale, place.timezone);
      const since = new Date(deps.now().getTime() - FEED_PAST_DAYS * 86_400_000);
      const invitations = await deps.prisma.meetingInvitation.findMany({
        where: { residentId: feed.residentId, meeting: { startsAt: { gte: since } } },
        select: { rsvp: true, meeting: { select: MEETING_SELECT } },
        orderBy: { meeting: { startsAt: 'asc' } },
        take: 500,
      });
      const events: CalendarMeeting[] = invitations.map(({ rsvp, meeting }) => ({ ...meeting, description: describe(words, meeting, rsvp) }));
      return calendarReply(reply, meetingsCalendar(deps.translator.t(locale, 'meetings.calendar.feed_name', { communityName: place.name }), events));
    });

    http.get<{ Params: { id: string; file: string } }>('/calendar/meeting/:id/:file', async (request, reply) => {
      const { id } = request.params;
      const signature = ICS_FILE.exec(request.params.file)?.[1];
      if (!signature || !/^[A-Za-z0-9]{1,64}$/.test(id)) return notFound(reply);
      const expected = Buffer.from(meetingIcsSignature(deps.icsKey, id));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return notFound(reply);
      const meeting = await deps.prisma.meeting.findFirst({ where: { id, communityId: deps.communityId }, select: MEETING_SELECT });
      if (!meeting) return notFound(reply);
      const place = await community();
      const words = new MeetingWords(deps.translator, place.defaultLocale, place.timezone);
      const body = meetingsCalendar(meeting.title, [{ ...meeting, description: describe(words, meeting, null) }]);
      return calendarReply(reply.header('content-disposition', `attachment; filename="${meeting.number}.ics"`), body);
    });
  };
}
