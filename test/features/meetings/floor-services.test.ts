/**
 * The floor's services on a real database: a petition binds at the first threshold reached with
 * what each signer counted for kept (households and groups once, adults by birth year), the
 * committee told once; an evaluation at exactly 60 % orders nothing and one answer fewer does;
 * a fund item decides its pending expense; wrong check-in codes are throttled per account; a
 * refusal of `meeting.run` is audited and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionWithAfterCommit } from '../../../src/db/after-commit.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { anyCheckInOpen, checkIn, checkInByCode, checkInByStaff, openCheckIn } from '../../../src/features/meetings/floor/service/check-in.js';
import { answerPoll, closePoll, openPoll } from '../../../src/features/meetings/floor/service/evaluation-polls.js';
import { closeDueSittings, closeMeeting } from '../../../src/features/meetings/floor/service/close-meeting.js';
import { dueToClose } from '../../../src/features/meetings/floor/rules/closing.js';
import type { FloorDeps } from '../../../src/features/meetings/floor/service/floor-deps.js';
import { findMeeting, type FloorMeeting } from '../../../src/features/meetings/floor/service/meeting-lookup.js';
import { addMotion, castVote, closeVote, findMotion, openVote } from '../../../src/features/meetings/floor/service/motions.js';
import { signPetition, startPetition } from '../../../src/features/meetings/floor/service/petitions.js';
import { ChatStaffAlerts } from '../../../src/features/tickets/scheduling/staff-alerts.js';
import { seedCommunity } from '../../support/community.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { createMeeting, createRepresentatives } from '../../support/meetings.js';
import { translator } from '../tickets/scheduling/harness.js';

type Person = Extract<Actor, { kind: 'person' }>;

describe.each(databaseTargets())('the floor on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  let NOW: Date;
  let deps: FloorDeps;
  let chair: Actor;
  const person = async (residentId: string) => (await loadActor(db.prisma, { residentId }, { now: NOW })) as Person;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma)).id;
    NOW = new Date();
    deps = { translator, staffAlerts: new ChatStaffAlerts({ now: () => NOW }), ballotKey: 'test-ballot-key', now: () => NOW };
    await db.prisma.boundChat.create({ data: { communityId, channel: 'kite', chatId: 'staff-room', purpose: 'staff' } });
    const chairId = (await db.prisma.resident.create({ data: { communityId, name: '李主任' } })).id;
    await db.prisma.roleAssignment.create({ data: { communityId, residentId: chairId, role: 'committee', startsOn: new Date(NOW.getTime() - 86_400_000) } });
    chair = (await loadActor(db.prisma, { residentId: chairId }, { now: new Date(NOW.getTime() + 1000) }))!;
  });
  afterAll(() => db?.close());

  it('binds a petition at ⅕ of the households — 2 of 10 — counting a household once, and tells the committee once', async () => {
    const area = await db.prisma.area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
    const homes = [];
    for (let i = 0; i < 10; i++) homes.push(await db.prisma.household.create({ data: { communityId, code: `P-${i}`, address: `平房${i}号`, areaId: area.id } }));
    const year = NOW.getUTCFullYear();
    // Two of the same household, then one of another; a child does not count among adults.
    const a = await db.prisma.resident.create({ data: { communityId, householdId: homes[0]!.id, name: '甲', birthYear: year - 40 } });
    const b = await db.prisma.resident.create({ data: { communityId, householdId: homes[0]!.id, name: '乙', birthYear: year - 17 } });
    const c = await db.prisma.resident.create({ data: { communityId, householdId: homes[1]!.id, name: '丙', birthYear: year - 18 } });
    // Many adults elsewhere, so that the adults' threshold is far.
    for (let i = 2; i < 10; i++) for (let j = 0; j < 3; j++) await db.prisma.resident.create({ data: { communityId, householdId: homes[i]!.id, name: `邻${i}-${j}`, birthYear: 1970 } });

    const started = await db.prisma.$transaction((tx) => startPetition(tx, deps, chair as Person, { title: '修路', reason: '修路' }));
    // The chair lives elsewhere: counts for nothing but is a signature all the same.
    expect(started.status).toBe('signed');
    const number = 'petition' in started ? started.petition.number : '';
    const [pa, pb, pc] = [await person(a.id), await person(b.id), await person(c.id)];
    const first = await db.prisma.$transaction((tx) => signPetition(tx, deps, pa, number));
    expect(first).toMatchObject({ status: 'signed', petition: { status: 'open', signed: { households: 1, adults: 1 } } });
    const second = await db.prisma.$transaction((tx) => signPetition(tx, deps, pb, number));
    expect(second).toMatchObject({ status: 'signed', petition: { status: 'open', signed: { households: 1, adults: 1 } } });
    const committed = await transactionWithAfterCommit(db.prisma, (tx) => signPetition(tx, deps, pc, number));
    expect(committed.value).toMatchObject({ status: 'binding', petition: { status: 'binding', thresholdMet: 'households', signed: { households: 2, adults: 2 } } });
    const signatures = await db.prisma.petitionSignature.findMany({ where: { petition: { number } }, orderBy: { signedAt: 'asc' } });
    expect(signatures.map((s) => [s.isAdult, s.householdId])).toEqual(expect.arrayContaining([[true, homes[0]!.id], [false, homes[0]!.id], [true, homes[1]!.id]]));
    const alerts = await db.prisma.outboxMessage.findMany({ where: { communityId, chatId: 'staff-room' } });
    expect(alerts.map((m) => (m.payload as { text: string }).text)).toEqual([expect.stringContaining(`联名${number}「修路」已达到五分之一以上户（2/10，需2）`)]);

    // Signing again, or after it bound, tells nobody again.
    await db.prisma.$transaction((tx) => signPetition(tx, deps, pc, number));
    expect(await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } })).toBe(1);
  });

  describe('at a sitting', () => {
    let meeting: FloorMeeting;
    let reps: string[];

    beforeAll(async () => {
      reps = await createRepresentatives(db.prisma, communityId, ['代表一', '代表二', '代表三', '代表四', '代表五']);
      const made = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() + 30 * 60_000), invitees: reps });
      meeting = (await findMeeting(db.prisma, made.id))!;
      const opened = await db.prisma.$transaction((tx) => openCheckIn(tx, meeting, chair, NOW));
      expect(opened).toMatchObject({ status: 'opened', rollSize: 5 });
      meeting = (await findMeeting(db.prisma, made.id))!;
      for (const id of reps) expect(await db.prisma.$transaction((tx) => checkIn(tx, meeting, id, 'button', NOW))).toMatchObject({ status: 'checked_in' });
    });

    it('refuses a representative running the sitting, audited, and changes nothing', async () => {
      const rep = await person(reps[0]!);
      const outcome = await db.prisma.$transaction((tx) => addMotion(tx, meeting, rep, { title: '自己加的', kind: 'ordinary', ballot: 'open' }, NOW));
      expect(outcome).toEqual({ status: 'denied', reason: 'role_required' });
      expect(await db.prisma.motion.count({ where: { meetingId: meeting.id, title: '自己加的' } })).toBe(0);
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'meeting.motion_added', actorId: reps[0]! } });
      expect(audit.details).toMatchObject({ denied: true, reason: 'role_required' });
    });

    it('checks in at the very start of the window, not a moment before, and not at the end', async () => {
      const late = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() + 31 * 60_000), invitees: [reps[0]!] });
      let m = (await findMeeting(db.prisma, late.id))!;
      await db.prisma.$transaction((tx) => openCheckIn(tx, m, chair, NOW));
      m = (await findMeeting(db.prisma, late.id))!;
      expect(await db.prisma.$transaction((tx) => checkIn(tx, m, reps[0]!, 'button', NOW))).toMatchObject({ status: 'window', window: 'early' });
      expect(await db.prisma.$transaction((tx) => checkIn(tx, m, reps[0]!, 'button', new Date(NOW.getTime() + 60_000)))).toMatchObject({ status: 'checked_in' });
      expect(await db.prisma.$transaction((tx) => checkIn(tx, m, reps[1]!, 'button', new Date(NOW.getTime() + 60_000)))).toMatchObject({ status: 'not_invited' });
      expect(await db.prisma.$transaction((tx) => checkIn(tx, m, reps[0]!, 'button', m.endsAt))).toMatchObject({ status: 'window', window: 'over' });
      // Six digits typed after every sitting has ended are not read as a code at all.
      expect(await anyCheckInOpen(db.prisma, communityId, NOW)).toBe(true);
      expect(await anyCheckInOpen(db.prisma, communityId, new Date(NOW.getTime() - 1))).toBe(false);
      const ended = new Date(Math.max(m.endsAt.getTime(), meeting.endsAt.getTime()));
      expect(await anyCheckInOpen(db.prisma, communityId, ended)).toBe(false);
    });

    it('lets staff check in someone without a phone by name, and nobody else', async () => {
      const made = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() + 10 * 60_000), invitees: [reps[2]!] });
      let m = (await findMeeting(db.prisma, made.id))!;
      await db.prisma.$transaction((tx) => openCheckIn(tx, m, chair, NOW));
      m = (await findMeeting(db.prisma, made.id))!;
      const rep = await person(reps[0]!);
      expect(await db.prisma.$transaction((tx) => checkInByStaff(tx, m, rep, '代表三', NOW))).toEqual({ status: 'denied', reason: 'role_required' });
      expect(await db.prisma.$transaction((tx) => checkInByStaff(tx, m, chair, '代表一', NOW))).toEqual({ status: 'no_such_invitee' });
      expect(await db.prisma.$transaction((tx) => checkInByStaff(tx, m, chair, ' 代表三 ', NOW))).toMatchObject({ status: 'checked_in' });
      expect(await db.prisma.meetingInvitation.findFirstOrThrow({ where: { meetingId: made.id } })).toMatchObject({ checkedInBy: 'staff' });
    });

    it('throttles wrong codes after five in ten minutes, per account', async () => {
      const rep = await person(reps[1]!);
      const account = await db.prisma.chatAccount.create({ data: { communityId, channel: 'kite', externalId: 'rep-2', residentId: reps[1]!, boundAt: NOW } });
      for (let i = 0; i < 5; i++) expect(await db.prisma.$transaction((tx) => checkInByCode(tx, rep, account.id, 'x0000' + i, NOW))).toEqual({ status: 'wrong_code' });
      // Even the right code now waits.
      expect(await db.prisma.$transaction((tx) => checkInByCode(tx, rep, account.id, meeting.checkInCode!, NOW))).toEqual({ status: 'throttled' });
      const later = new Date(NOW.getTime() + 11 * 60_000);
      expect(await db.prisma.$transaction((tx) => checkInByCode(tx, rep, account.id, meeting.checkInCode!, later))).toMatchObject({ status: 'already' });
    });

    it('approves a pending fund expense when its motion passes with 3 of 5, and rejects the next with exactly half', async () => {
      const area = await db.prisma.area.create({ data: { communityId, name: '基金片区', path: '基金片区', depth: 1 } });
      const fund = await db.prisma.propertyFund.create({ data: { communityId, areaId: area.id } });
      const spend = (number: number) => db.prisma.fundExpense.create({ data: { fundId: fund.id, number, amountFen: 90_000, purpose: `支出${number}`, spentOn: NOW, status: 'pending' } });
      const [one, two] = [await spend(1), await spend(2)];
      const vote = async (expenseId: string, yes: number) => {
        const added = await db.prisma.$transaction((tx) => addMotion(tx, meeting, chair, { title: '一事一议', kind: 'fund_item', ballot: 'open', subjectId: expenseId }, NOW));
        const motion = (await findMotion(db.prisma, meeting.id, 'position' in added ? added.position : 0))!;
        await db.prisma.$transaction((tx) => openVote(tx, meeting, motion, chair, true, NOW));
        for (const [i, id] of reps.entries()) await db.prisma.$transaction((tx) => castVote(tx, motion, id, i < yes ? 'yes' : 'abstain', deps.ballotKey, NOW));
        return db.prisma.$transaction((tx) => closeVote(tx, deps, meeting, motion, chair));
      };
      expect(await vote(one.id, 3)).toMatchObject({ status: 'closed', result: 'passed', presentAtClose: 5 });
      expect((await db.prisma.fundExpense.findUniqueOrThrow({ where: { id: one.id } })).status).toBe('approved');
      // 2 yes of 5 present (3 abstain): not more than half.
      expect(await vote(two.id, 2)).toMatchObject({ status: 'closed', result: 'failed' });
      expect((await db.prisma.fundExpense.findUniqueOrThrow({ where: { id: two.id } })).status).toBe('rejected');
      const decided = await db.prisma.auditLog.findMany({ where: { communityId, action: 'fund.expense_decided' }, orderBy: { createdAt: 'asc' } });
      expect(decided.map((d) => (d.details as { decision: string }).decision)).toEqual(['approve', 'reject']);
      // A decided expense cannot be put to the vote again.
      expect(await db.prisma.$transaction((tx) => addMotion(tx, meeting, chair, { title: '再议', kind: 'fund_item', ballot: 'open', subjectId: one.id }, NOW))).toEqual({ status: 'not_pending' });
    });

    it('keeps a committee member whose recall got exactly half of the present (2 of 4), and ends their term when 3 of 4 vote yes', async () => {
      const memberId = (await db.prisma.resident.create({ data: { communityId, name: '钱委员' } })).id;
      const startsOn = new Date(NOW.getTime() - 30 * 86_400_000);
      const term = await db.prisma.roleAssignment.create({ data: { communityId, residentId: memberId, role: 'committee', startsOn, endsOn: new Date(NOW.getTime() + 900 * 86_400_000) } });
      await db.prisma.chatAccount.create({ data: { communityId, channel: 'kite', externalId: 'member-qian', residentId: memberId, boundAt: NOW } });
      // A sitting of four present: half of them is two.
      const made = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() + 5 * 60_000), invitees: reps.slice(0, 4) });
      let four = (await findMeeting(db.prisma, made.id))!;
      await db.prisma.$transaction((tx) => openCheckIn(tx, four, chair, NOW));
      four = (await findMeeting(db.prisma, made.id))!;
      for (const id of reps.slice(0, 4)) await db.prisma.$transaction((tx) => checkIn(tx, four, id, 'button', NOW));
      const recall = async (yes: number) => {
        const added = await db.prisma.$transaction((tx) => addMotion(tx, four, chair, { title: '罢免钱委员', kind: 'recall', ballot: 'secret', subjectId: memberId }, NOW));
        const motion = (await findMotion(db.prisma, four.id, 'position' in added ? added.position : 0))!;
        await db.prisma.$transaction((tx) => openVote(tx, four, motion, chair, true, NOW));
        for (const [i, id] of reps.slice(0, 4).entries()) await db.prisma.$transaction((tx) => castVote(tx, motion, id, i < yes ? 'yes' : 'no', deps.ballotKey, NOW));
        return transactionWithAfterCommit(db.prisma, (tx) => closeVote(tx, deps, four, motion, chair));
      };
      const staffBefore = await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } });

      const failed = await recall(2);
      expect(failed.value).toMatchObject({ status: 'closed', result: 'failed', yes: 2, presentAtClose: 4, rows: [] });
      expect(await db.prisma.roleAssignment.findUniqueOrThrow({ where: { id: term.id } })).toMatchObject({ endsOn: term.endsOn });
      const kept = (await loadActor(db.prisma, { residentId: memberId }, { now: new Date(NOW.getTime() + 1000) }))!;
      expect(kept.kind === 'person' ? kept.roles.map((r) => r.role) : []).toEqual(['committee']);
      expect(await db.prisma.outboxMessage.count({ where: { communityId, chatId: { in: ['staff-room', 'member-qian'] } } })).toBe(staffBefore);
      expect(await db.prisma.auditLog.count({ where: { communityId, subjectId: term.id } })).toBe(0);

      const passed = await recall(3);
      expect(passed.value).toMatchObject({ status: 'closed', result: 'passed', yes: 3, presentAtClose: 4, recalled: 1 });
      const after = await db.prisma.roleAssignment.findUniqueOrThrow({ where: { id: term.id } });
      expect(after.endsOn!.getTime()).toBe(NOW.getTime() - 1);
      // From the close on, the member acts with no committee role: running a sitting is refused.
      const former = (await loadActor(db.prisma, { residentId: memberId }, { now: NOW }))!;
      expect(former.kind === 'person' ? former.roles.map((r) => r.role) : ['?']).toEqual([]);
      expect(await db.prisma.$transaction((tx) => addMotion(tx, four, former, { title: '还想主持', kind: 'ordinary', ballot: 'open' }, NOW))).toEqual({ status: 'denied', reason: 'role_required' });
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'staff.manage', subjectId: term.id } });
      expect(audit.details).toMatchObject({ residentId: memberId, role: 'committee', change: 'term_ended_by_recall', meetingId: four.id });
      const told = async (chatId: string) =>
        (await db.prisma.outboxMessage.findMany({ where: { communityId, chatId }, orderBy: { createdAt: 'asc' } })).map((m) => (m.payload as { text: string }).text);
      expect(await told('member-qian')).toEqual([expect.stringContaining('您的居委会委员职务自即日起终止')]);
      expect((await told('staff-room')).slice(staffBefore)).toEqual([expect.stringContaining(`通过罢免钱委员，其居委会委员职务即时终止`)]);
    });

    it('closes a sitting as staff ask: an open vote counted, a poll closed, and afterwards check-in and votes refused', async () => {
      const made = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() - 60 * 60_000), invitees: reps.slice(0, 3) });
      let m = (await findMeeting(db.prisma, made.id))!;
      await db.prisma.$transaction((tx) => openCheckIn(tx, m, chair, NOW));
      m = (await findMeeting(db.prisma, made.id))!;
      for (const id of reps.slice(0, 2)) await db.prisma.$transaction((tx) => checkIn(tx, m, id, 'button', NOW));
      await db.prisma.$transaction((tx) => addMotion(tx, m, chair, { title: '修路', kind: 'ordinary', ballot: 'open' }, NOW));
      await db.prisma.$transaction((tx) => addMotion(tx, m, chair, { title: '还没表决', kind: 'ordinary', ballot: 'open' }, NOW));
      const open = (await findMotion(db.prisma, m.id, 1))!;
      await db.prisma.$transaction((tx) => openVote(tx, m, open, chair, true, NOW));
      await db.prisma.$transaction((tx) => castVote(tx, open, reps[0]!, 'yes', deps.ballotKey, NOW));
      await db.prisma.$transaction((tx) => castVote(tx, open, reps[1]!, 'yes', deps.ballotKey, NOW));
      await db.prisma.$transaction((tx) => openPoll(tx, m, chair, null, NOW));
      const events = { publish: async () => {} };

      // A representative may not close it: refused, audited, still open.
      const rep = await person(reps[0]!);
      expect(await db.prisma.$transaction((tx) => closeMeeting(tx, deps, events, m, rep))).toEqual({ status: 'denied', reason: 'role_required' });
      expect((await db.prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('held');
      expect(await db.prisma.auditLog.count({ where: { communityId, action: 'meeting.closed', actorId: reps[0]! } })).toBe(1);

      const closed = await transactionWithAfterCommit(db.prisma, (tx) => closeMeeting(tx, deps, events, m, chair));
      expect(closed.value).toMatchObject({ status: 'closed', polls: 1, votes: [{ position: 1, yes: 2, presentAtClose: 2, result: 'passed' }] });
      const row = await db.prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
      expect(row).toMatchObject({ status: 'closed', closedAt: NOW });
      expect(await db.prisma.motion.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: 'closed', result: 'passed', noticeId: expect.any(String) });
      expect(await db.prisma.evaluationPoll.count({ where: { meetingId: m.id, status: 'open' } })).toBe(0);
      expect(await db.prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'meeting.closed', subjectId: m.id, actorId: chair.kind === 'person' ? chair.residentId : '' } })).toMatchObject({
        details: { votesClosed: 1, pollsClosed: 1 },
      });

      // Afterwards: nobody checks in, no vote is cast, nothing opens; closing again says so.
      m = (await findMeeting(db.prisma, made.id))!;
      expect(await db.prisma.$transaction((tx) => checkIn(tx, m, reps[2]!, 'button', NOW))).toMatchObject({ status: 'closed' });
      expect(await db.prisma.$transaction((tx) => checkInByStaff(tx, m, chair, '代表三', NOW))).toMatchObject({ status: 'closed' });
      expect(await db.prisma.$transaction((tx) => castVote(tx, open, reps[0]!, 'no', deps.ballotKey, NOW))).toEqual({ status: 'meeting_closed' });
      expect(await db.prisma.$transaction((tx) => addMotion(tx, m, chair, { title: '补一个', kind: 'ordinary', ballot: 'open' }, NOW))).toEqual({ status: 'closed' });
      const draft = (await findMotion(db.prisma, m.id, 2))!;
      expect(await db.prisma.$transaction((tx) => openVote(tx, m, draft, chair, true, NOW))).toEqual({ status: 'closed' });
      expect(await db.prisma.$transaction((tx) => openPoll(tx, m, chair, null, NOW))).toEqual({ status: 'closed' });
      expect(await db.prisma.$transaction((tx) => closeMeeting(tx, deps, events, m, chair))).toEqual({ status: 'already' });
      expect(await db.prisma.meetingInvitation.count({ where: { meetingId: m.id, checkedInAt: { not: null } } })).toBe(2);

      // One that has not begun is cancelled, not closed.
      const ahead = (await findMeeting(db.prisma, (await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() + 3_600_000), invitees: [] })).id))!;
      expect(await db.prisma.$transaction((tx) => closeMeeting(tx, deps, events, ahead, chair))).toEqual({ status: 'not_started' });
    });

    it('closes the sittings nobody closed once their day is over, and tells the committee; not one still on its day', async () => {
      const tz = (await db.prisma.community.findUniqueOrThrow({ where: { id: communityId } })).timezone;
      // Ended 26 hours ago (yesterday, and more than two hours ago), ended just now, and one cancelled long ago.
      const overdue = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() - 28 * 3_600_000), invitees: [], title: '昨天的会' });
      const recent = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() - 2 * 3_600_000), invitees: [], title: '刚开完的会' });
      const cancelled = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() - 50 * 3_600_000), invitees: [], title: '取消的会' });
      // Ten days past: closed as well, but quietly (no message for what is long over).
      const old = await createMeeting(db.prisma, communityId, { startsAt: new Date(NOW.getTime() - 240 * 3_600_000), invitees: [], title: '十天前的会' });
      await db.prisma.meeting.update({ where: { id: cancelled.id }, data: { status: 'cancelled' } });
      const staffBefore = await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } });
      const outbox = { dispatch: async () => {} };
      const logger = { info: () => {}, warn: () => {} } as never;
      const closed = await closeDueSittings({ prisma: db.prisma, floor: deps, events: { publish: async () => {} }, outbox, logger }, communityId);
      const statusOf = async (id: string) => (await db.prisma.meeting.findUniqueOrThrow({ where: { id } })).status;
      expect(await statusOf(overdue.id)).toBe('closed');
      expect(await statusOf(cancelled.id)).toBe('cancelled');
      expect(await statusOf(old.id)).toBe('closed');
      // The one that ended at NOW closes only once its day in the community's zone is over.
      expect(await statusOf(recent.id)).toBe(dueToClose({ endsAt: NOW }, tz, NOW) ? 'closed' : 'scheduled');
      expect(closed).toBeGreaterThanOrEqual(2);
      const told = (await db.prisma.outboxMessage.findMany({ where: { communityId, chatId: 'staff-room' }, orderBy: { createdAt: 'asc' } })).slice(staffBefore);
      expect(told.map((m) => (m.payload as { text: string }).text)).toContainEqual(expect.stringContaining(`会议${overdue.number}「昨天的会」当天结束后没有人闭会，已自动闭会`));
      expect(told.map((m) => (m.payload as { text: string }).text).join('\n')).not.toContain(old.number);
      expect(await db.prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'meeting.closed', subjectId: overdue.id } })).toMatchObject({ actorId: null, via: 'system' });
    });

    it('orders no rectification at exactly 60 % (3 of 5) and does at 2 of 4', async () => {
      const run = async (answers: ('satisfied' | 'basically_satisfied' | 'dissatisfied')[]) => {
        const opened = await db.prisma.$transaction((tx) => openPoll(tx, meeting, chair, null, NOW));
        const pollId = 'pollId' in opened ? opened.pollId : '';
        for (const [i, answer] of answers.entries()) expect(await db.prisma.$transaction((tx) => answerPoll(tx, deps, pollId, reps[i]!, answer))).toEqual({ status: 'answered' });
        return db.prisma.$transaction((tx) => closePoll(tx, deps, meeting, chair, pollId));
      };
      const before = await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } });
      expect(await run(['satisfied', 'basically_satisfied', 'satisfied', 'dissatisfied', 'dissatisfied'])).toMatchObject({ status: 'closed', percent: 60, rectify: false });
      expect(await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } })).toBe(before);
      expect(await run(['satisfied', 'basically_satisfied', 'dissatisfied', 'dissatisfied'])).toMatchObject({ status: 'closed', percent: 50, rectify: true });
      expect(await db.prisma.outboxMessage.count({ where: { communityId, chatId: 'staff-room' } })).toBe(before + 1);
      const polls = await db.prisma.evaluationPoll.findMany({ where: { meetingId: meeting.id }, orderBy: { openedAt: 'asc' } });
      expect(polls.map((p) => p.rectifyAt !== null)).toEqual([false, true]);
    });
  });
});
