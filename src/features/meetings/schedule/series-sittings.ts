/**
 * Regular meetings: each active series keeps its next sitting called ahead of time (its
 * invitation out, its reminders set), so the biweekly forum, the monthly heads' meeting and the
 * half-yearly assembly happen without anyone remembering to call them. The community always has
 * an assembly series (docs/domain.md rule 4): one is made, by the system, when none exists; and
 * when the tickets' settings name a forum sitting (`forumAnchor`, where escalated tickets are put
 * on the agenda: docs/domain.md rule 1), a forum series every 14 days from it, so the sittings
 * called are the very ones the escalated tickets wait for.
 * Run at start and every quarter hour; a sitting already called is not called twice (one per
 * series and start).
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { transactionWithAfterCommit, finishCommitted } from '../../../db/after-commit.js';
import type { Prisma } from '../../../db/prisma-types.js';
import type { QueuedOutboxRow } from '../../../outbox/outbox.js';
import { readAudience } from '../rules/audience.js';
import { DEFAULT_AUDIENCE, DEFAULT_RHYTHM, isMeetingType } from '../rules/meeting-types.js';
import { nextSittings } from '../rules/recurrence.js';
import { loadTicketSettings } from '../../tickets/service/ticket-settings-store.js';
import { callMeeting } from './call-meeting.js';
import type { MeetingsDeps } from './meetings-deps.js';

/** A sitting is called this long before it starts (the forum's agenda is then ready). */
export const CALL_AHEAD_DAYS = 10;

/** The first assembly of a new default series: the 15th of the next January or July, 09:00 local. */
export function defaultAssemblyStart(now: Date, timeZone: string): string {
  const local = new TZDate(now, timeZone);
  const year = local.getFullYear();
  const month = local.getMonth();
  const [y, m] = month < 6 ? [year, 7] : [year + 1, 1];
  return `${y}-${String(m).padStart(2, '0')}-15T09:00`;
}

/** Makes the default assembly series when the community has none; returns its id or null. */
export async function ensureAssemblySeries(deps: MeetingsDeps, communityId: string, title: string): Promise<string | null> {
  return deps.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`meeting-series:${communityId}`}))`;
    const existing = await tx.meetingSeries.findFirst({ where: { communityId, type: 'assembly' }, select: { id: true } });
    if (existing) return null;
    const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true } });
    const created = await tx.meetingSeries.create({
      data: {
        communityId,
        type: 'assembly',
        title,
        rrule: DEFAULT_RHYTHM.assembly!,
        firstLocal: defaultAssemblyStart(deps.now(), community.timezone),
        audience: DEFAULT_AUDIENCE.assembly as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    return created.id;
  });
}

/** The forum's rhythm from a named sitting: every 14 days at its local wall time. */
export const FORUM_FROM_ANCHOR = 'FREQ=WEEKLY;INTERVAL=2';

/** Makes the forum series from the tickets' `forumAnchor` when there is one and no forum series yet; returns its id or null. */
export async function ensureForumSeries(deps: MeetingsDeps, communityId: string, title: string): Promise<string | null> {
  return deps.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`meeting-series:${communityId}`}))`;
    const settings = await loadTicketSettings(tx, communityId);
    if (!settings.forumAnchor) return null;
    const existing = await tx.meetingSeries.findFirst({ where: { communityId, type: 'forum' }, select: { id: true } });
    if (existing) return null;
    const created = await tx.meetingSeries.create({
      data: {
        communityId,
        type: 'forum',
        title,
        rrule: FORUM_FROM_ANCHOR,
        firstLocal: format(new TZDate(new Date(settings.forumAnchor), settings.timezone), "yyyy-MM-dd'T'HH:mm"),
        audience: DEFAULT_AUDIENCE.forum as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    return created.id;
  });
}

/** Calls each active series' next sitting when it is within `CALL_AHEAD_DAYS`; returns how many were called. */
export async function callDueSittings(deps: MeetingsDeps, communityId: string, outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> }): Promise<number> {
  const now = deps.now();
  const community = await deps.prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true } });
  const series = await deps.prisma.meetingSeries.findMany({ where: { communityId, active: true } });
  let called = 0;
  for (const one of series) {
    if (!isMeetingType(one.type)) continue;
    const [next] = nextSittings({ rrule: one.rrule, firstLocal: one.firstLocal, timeZone: community.timezone }, now, 1);
    if (!next || next.getTime() - now.getTime() > CALL_AHEAD_DAYS * 86_400_000) continue;
    const type = one.type;
    const committed = await transactionWithAfterCommit(deps.prisma, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`meeting-series:${one.id}`}))`;
      const exists = await tx.meeting.findFirst({ where: { seriesId: one.id, startsAt: next }, select: { id: true } });
      if (exists) return false;
      const result = await callMeeting(tx, deps, {
        communityId,
        actor: { kind: 'system' },
        type,
        title: one.title,
        startsAt: next,
        durationMinutes: one.durationMinutes,
        place: one.place,
        audience: readAudience(one.audience),
        reminderOffsets: one.reminderOffsets,
        seriesId: one.id,
      });
      return result.status === 'called';
    }, { timeout: 60_000, maxWait: 10_000 });
    await finishCommitted(committed, outbox);
    if (committed.value) called += 1;
  }
  return called;
}
