/**
 * Calling meetings in a real database: a forum's agenda takes the tickets escalated to its sitting
 * (AgendaItem, not those handled or for a later sitting); a community without an assembly series
 * gets one, and its sitting, called ten days ahead by the system, has the committee's report on
 * its agenda and is called once however often the sweep runs; a resident without a staff role
 * is refused `meeting.call` and the refusal is audited; a meeting past its start cannot be moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssemblySeries, ensureForumSeries, callDueSittings } from '../../../src/features/meetings/schedule/series-sittings.js';
import { callMeeting, changeMeeting } from '../../../src/features/meetings/schedule/call-meeting.js';
import type { MeetingsDeps } from '../../../src/features/meetings/schedule/meetings-deps.js';
import { setOwnOffsets } from '../../../src/features/meetings/invite/answers.js';
import { readAgenda } from '../../../src/features/meetings/rules/agenda.js';
import { localToInstant, nextSittings } from '../../../src/features/meetings/rules/recurrence.js';
import { nextBiweeklyForum } from '../../../src/features/tickets/rules/biweekly-forum.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { meetingsDeps, OPERATOR, seedMeetingsCommunity, TestClock, type MeetingsCommunity } from './support.js';

const TZ = 'Asia/Shanghai';
const noDelivery = { dispatch: async () => {} };

describe.each(databaseTargets())('calling meetings on %s', (target) => {
  let db: TestDatabase;
  let c: MeetingsCommunity;
  const clock = new TestClock(localToInstant('2026-06-26T10:00', TZ)!);
  let deps: MeetingsDeps;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedMeetingsCommunity(db.prisma, TZ, 3, clock.at);
    deps = meetingsDeps(db.prisma, clock, { meetingChanged: () => undefined });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  async function ticket(n: number) {
    return db.prisma.ticket.create({
      data: { communityId: c.communityId, number: `MQ-2026-0000${n}`, year: 2026, seq: n, kind: 'complaint', category: 'other', description: `议题${n}`, firstResponseDueAt: clock.at },
    });
  }

  it("a forum's agenda takes the tickets escalated to that sitting, and no other", async () => {
    const forumAt = localToInstant('2026-07-01T19:00', TZ)!;
    const [due, waiting, handled, later] = [await ticket(1), await ticket(2), await ticket(3), await ticket(4)];
    await db.prisma.agendaItem.createMany({
      data: [
        { communityId: c.communityId, ticketId: due.id, reason: 'major', meetingAt: forumAt },
        { communityId: c.communityId, ticketId: waiting.id, reason: 'overdue', meetingAt: null },
        { communityId: c.communityId, ticketId: handled.id, reason: 'major', meetingAt: forumAt, handledAt: clock.at },
        { communityId: c.communityId, ticketId: later.id, reason: 'major', meetingAt: new Date(forumAt.getTime() + 14 * 86_400_000) },
      ],
    });
    const called = await db.prisma.$transaction((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, type: 'forum', title: '半月谈', startsAt: forumAt, durationMinutes: 120, agenda: ['上次决定的落实'] }));
    if (called.status !== 'called') throw new Error(called.status);
    const meeting = await db.prisma.meeting.findUniqueOrThrow({ where: { id: called.meetingId } });
    expect(readAgenda(meeting.agenda)).toEqual([
      { text: '上次决定的落实' },
      { text: 'MQ-2026-00001 议题1', ticketId: due.id },
      { text: 'MQ-2026-00002 议题2', ticketId: waiting.id },
    ]);
    expect(meeting.number).toBe('HY-2026-00001');
  });

  it('a community without an assembly series gets one; its sitting is called ten days ahead, once, with the committee report', async () => {
    expect(await ensureAssemblySeries(deps, c.communityId, '居民代表大会')).not.toBeNull();
    expect(await ensureAssemblySeries(deps, c.communityId, '居民代表大会')).toBeNull();
    const series = await db.prisma.meetingSeries.findFirstOrThrow({ where: { communityId: c.communityId, type: 'assembly' } });
    expect(series.firstLocal).toBe('2026-07-15T09:00');
    // 26 June: the sitting of 15 July is 19 days ahead, not yet called.
    expect(await callDueSittings(deps, c.communityId, noDelivery)).toBe(0);
    const sitting = nextSittings({ rrule: series.rrule, firstLocal: series.firstLocal, timeZone: TZ }, clock.at, 1)[0]!;
    clock.at = new Date(sitting.getTime() - 10 * 86_400_000);
    expect(await callDueSittings(deps, c.communityId, noDelivery)).toBe(1);
    expect(await callDueSittings(deps, c.communityId, noDelivery)).toBe(0);
    const assembly = await db.prisma.meeting.findFirstOrThrow({ where: { seriesId: series.id } });
    expect(assembly.startsAt.toISOString()).toBe('2026-07-15T01:00:00.000Z');
    expect(readAgenda(assembly.agenda)[0]).toEqual({ text: '', key: 'meetings.core.agenda.committee_report' });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { subjectId: assembly.id, action: 'meeting.called' } });
    expect(audit.via).toBe('system');
  });

  it('a resident without a staff role may not call a meeting; the refusal is audited', async () => {
    const plain = await db.prisma.resident.findFirstOrThrow({ where: { communityId: c.communityId, roles: { none: {} }, headOf: null } });
    const actor = await loadActor(db.prisma, { residentId: plain.id });
    const refused = await db.prisma.$transaction((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: actor!, type: 'residents', title: '我的会', startsAt: new Date(clock.at.getTime() + 86_400_000), durationMinutes: 60 }));
    expect(refused.status).toBe('denied');
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { actorId: plain.id, action: 'meeting.call' } });
    expect(audit.details).toMatchObject({ denied: true });
  });

  it('a meeting cannot be called in the past nor moved into it; a cancelled one cannot be moved', async () => {
    const past = await db.prisma.$transaction((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, type: 'other', title: '过去', startsAt: clock.at, durationMinutes: 60 }));
    expect(past).toEqual({ status: 'invalid', problem: 'past' });
    const called = await db.prisma.$transaction((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, type: 'other', title: '协调', startsAt: new Date(clock.at.getTime() + 86_400_000), durationMinutes: 60 }));
    if (called.status !== 'called') throw new Error(called.status);
    expect(await db.prisma.$transaction((tx) => changeMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, number: called.number, startsAt: clock.at }))).toEqual({ status: 'past' });
    expect((await db.prisma.$transaction((tx) => changeMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, number: called.number }))).status).toBe('cancelled');
    expect(await db.prisma.$transaction((tx) => changeMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, number: called.number }))).toEqual({ status: 'not_scheduled' });
    expect(await db.prisma.$transaction((tx) => changeMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, number: 'HY-2026-09999' }))).toEqual({ status: 'not_found' });
  });

  it("a person's own reminder times carry over to the meetings they are invited to later", async () => {
    const person = c.people[1]!.residentId;
    const firstCall = await db.prisma.$transaction((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, type: 'residents', title: '先开会', startsAt: new Date(clock.at.getTime() + 2 * 86_400_000), durationMinutes: 60, audience: { everyone: true } }));
    expect(firstCall.status).toBe('called');
    expect(await db.prisma.$transaction((tx) => setOwnOffsets(tx, { meetingChanged: () => undefined }, person, [45], clock.at))).toBeGreaterThanOrEqual(1);
    const called = await db.prisma.$transaction((tx) => callMeeting(tx, deps, { communityId: c.communityId, actor: OPERATOR, type: 'residents', title: '再开会', startsAt: new Date(clock.at.getTime() + 3 * 86_400_000), durationMinutes: 60, audience: { everyone: true } }));
    if (called.status !== 'called') throw new Error(called.status);
    const mine = await db.prisma.meetingInvitation.findFirstOrThrow({ where: { meetingId: called.meetingId, residentId: person } });
    expect(mine.reminderOffsets).toEqual([45]);
    const other = await db.prisma.meetingInvitation.findFirstOrThrow({ where: { meetingId: called.meetingId, residentId: c.people[2]!.residentId } });
    expect(other.reminderOffsets).toEqual([]);
  });

  it("with the tickets' forum sitting set, a forum series falls on the very sittings escalated tickets wait for", async () => {
    await db.prisma.community.update({ where: { id: c.communityId }, data: { ticketSettings: { forumAnchor: '2026-07-01T19:00:00+08:00' } } });
    expect(await ensureForumSeries(deps, c.communityId, '半月谈')).not.toBeNull();
    expect(await ensureForumSeries(deps, c.communityId, '半月谈')).toBeNull();
    const series = await db.prisma.meetingSeries.findFirstOrThrow({ where: { communityId: c.communityId, type: 'forum' } });
    expect(series.firstLocal).toBe('2026-07-01T19:00');
    const anchor = new Date('2026-07-01T19:00:00+08:00');
    for (const after of [new Date('2026-07-20T00:00:00Z'), new Date('2026-12-31T12:00:00Z'), new Date('2027-03-01T00:00:00Z')]) {
      expect(nextSittings({ rrule: series.rrule, firstLocal: series.firstLocal, timeZone: TZ }, after, 1)[0]).toEqual(nextBiweeklyForum(after, anchor, TZ));
    }
  });
});
