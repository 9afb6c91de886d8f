/**
 * Deadline jobs through the whole app (real database, real queues): a missed first response
 * reminds the steward in their own chat, the committee hears at twice the time, and a ticket still
 * unresolved at its deadline goes on the next biweekly forum's agenda — each once. A job of an old
 * version does nothing; a ticket marked major goes on the agenda at once; the sweep finds tickets
 * whose jobs were lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountNotifier } from '../../../../src/notify/account-notifier.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../../src/db/after-commit.js';
import type { TicketAction } from '../../../../src/features/tickets/rules/transition.js';
import { applyTicketAction } from '../../../../src/features/tickets/service/index.js';
import { jobIds, type JobPayload } from '../../../../src/queue/jobs.js';
import { QueueNames } from '../../../../src/queue/names.js';
import { nextBiweeklyForum } from '../../../../src/features/tickets/rules/biweekly-forum.js';
import { DeadlineNotDueError } from '../../../../src/features/tickets/scheduling/ticket-deadlines.js';
import { databaseTargets } from '../../../support/database.js';
import { openSchedulingHarness, type SchedulingHarness } from './harness.js';
import { EventBus } from '../../../../src/events/index.js';
import { createTicket, FAST_SETTINGS, outboxTexts, seedTicketCommunity, STAFF_CHAT_ID, type SeededCommunity } from './seed.js';
import { waitFor } from '../../../support/wait-for.js';

const MINUTE = 60_000;

describe.each(databaseTargets())('ticket deadlines on %s', (target) => {
  let h: SchedulingHarness;
  let c: SeededCommunity;
  const prisma = () => h.db.prisma;
  const scheduling = () => h.scheduling;
  const staffChat = async (ticketId: string) => (await outboxTexts(prisma(), STAFF_CHAT_ID)).filter((m) => m.ticketId === ticketId);
  const stewardChat = async (number: string) => (await outboxTexts(prisma(), c.stewardChatId)).filter((m) => m.text.includes(number));

  beforeAll(async () => {
    h = await openSchedulingHarness(target);
    c = await seedTicketCommunity(prisma());
  });
  afterAll(() => h?.close());

  it('reminds the steward at the first-response deadline, tells the committee at twice it, then puts the ticket before the forum', async () => {
    const now = Date.now();
    // First response (1 min) missed 57 s ago: the committee's moment is 3 s away, the resolution deadline 6 s.
    const committeeDue = now + 3_000;
    const resolutionDue = now + 6_000;
    const ticket = await createTicket(prisma(), c.communityId, {
      areaId: c.laneId,
      householdId: c.householdId,
      assigneeId: c.stewardId,
      firstResponseDueAt: new Date(committeeDue - MINUTE),
      resolutionDueAt: new Date(resolutionDue),
    });
    await scheduling().scheduleTicketDeadlines(ticket.id);

    const item = await waitFor(() => prisma().agendaItem.findFirst({ where: { ticketId: ticket.id } }), 'the agenda item');
    expect(item.reason).toBe('overdue');
    expect(item.meetingAt?.getTime()).toBe(nextBiweeklyForum(new Date(resolutionDue), new Date(FAST_SETTINGS.forumAnchor), 'Asia/Shanghai').getTime());

    // Each step when its moment had come, not before, in ladder order.
    const rows = async (chatId: string) =>
      prisma().outboxMessage.findMany({ where: { chatId, OR: [{ refs: { some: { subjectKind: 'ticket', subjectId: ticket.id } } }, { payload: { path: ['text'], string_contains: ticket.number } }] }, orderBy: { seq: 'asc' }, include: { refs: true } });
    const steward = await rows(c.stewardChatId);
    const staff = await rows(STAFF_CHAT_ID);
    expect(steward.map((r) => (r.payload as { text: string }).text)).toEqual([expect.stringContaining('first-response deadline')]);
    expect(staff.map((r) => (r.payload as { text: string }).text)).toEqual([expect.stringContaining('首次响应时限两倍'), expect.stringContaining('半月谈')]);
    expect(staff.every((r) => r.refs.some((ref) => ref.subjectKind === 'ticket' && ref.subjectId === ticket.id))).toBe(true);
    expect(steward[0]!.createdAt.getTime()).toBeLessThanOrEqual(staff[0]!.createdAt.getTime());
    // Rows carry the database's transaction start, taken a moment before the job reads the clock.
    const SLACK_MS = 500;
    expect(staff[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(committeeDue - SLACK_MS);
    expect(staff[1]!.createdAt.getTime()).toBeGreaterThanOrEqual(resolutionDue - SLACK_MS);
    expect(item.createdAt.getTime()).toBeGreaterThanOrEqual(resolutionDue - SLACK_MS);

    const stored = await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.escalationsDone).toEqual(['first_response_overdue', 'first_response_overdue_committee', 'forum_agenda']);
    expect(stored.version).toBe(0);
    const events = await prisma().ticketEvent.findMany({ where: { ticketId: ticket.id, kind: 'escalated' }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => (e.details as { step: string }).step)).toEqual(['first_response_overdue', 'first_response_overdue_committee', 'forum_agenda']);

    // Scheduling again (a sweep, a repeated call) takes no step twice.
    await scheduling().scheduleTicketDeadlines(ticket.id);
    await scheduling().deadlines.sweep(c.communityId);
    // Every job those asked for has run (a step taken twice would have written its rows by then).
    const deadlines = h.queues.queue(QueueNames.ticketDeadlines);
    await waitFor(async () => Object.values(await deadlines.getJobCounts('active', 'waiting', 'prioritized')).every((n) => n === 0), 'the deadline jobs to have run');
    expect(await rows(c.stewardChatId)).toHaveLength(1);
    expect(await rows(STAFF_CHAT_ID)).toHaveLength(2);
  });

  it('does nothing for a job of an older version, and acts on the current one', async () => {
    const ticket = await createTicket(prisma(), c.communityId, {
      areaId: c.laneId,
      assigneeId: c.stewardId,
      firstResponseDueAt: new Date(Date.now() - 1_000),
      resolutionDueAt: new Date(Date.now() + 60 * MINUTE),
      version: 1,
    });
    const queue = h.queues.queue(QueueNames.ticketDeadlines);
    const old: JobPayload<'ticket-deadlines'> = { ticketId: ticket.id, version: 0, step: 'first_response' };
    const job = await queue.add('deadline', old, { jobId: jobIds['ticket-deadlines'](old), removeOnComplete: { age: 3600 } });
    await waitFor(async () => (await job.getState()) === 'completed', 'the old job to run');
    expect((await queue.getJob(job.id!))?.returnvalue).toBe('stale');
    expect(await stewardChat(ticket.number)).toEqual([]);
    expect((await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).escalationsDone).toEqual([]);

    await scheduling().scheduleTicketDeadlines(ticket.id);
    await waitFor(async () => (await stewardChat(ticket.number)).length === 1, 'the reminder for version 1');
  });

  it('does nothing once the first response came', async () => {
    const ticket = await createTicket(prisma(), c.communityId, {
      areaId: c.laneId,
      assigneeId: c.stewardId,
      firstResponseDueAt: new Date(Date.now() - 1_000),
      firstRespondedAt: new Date(Date.now() - 5_000),
      resolutionDueAt: new Date(Date.now() + 60 * MINUTE),
    });
    const outcome = await scheduling().deadlines.handle({ ticketId: ticket.id, version: 0, step: 'first_response' });
    expect(outcome).toBe('nothing_due');
    expect(await stewardChat(ticket.number)).toEqual([]);
  });

  it('puts a ticket marked major on the next forum agenda at once', async () => {
    const ticket = await createTicket(prisma(), c.communityId, {
      areaId: c.laneId,
      firstResponseDueAt: new Date(Date.now() + 60 * MINUTE),
      resolutionDueAt: new Date(Date.now() + 600 * MINUTE),
      major: true,
      firstRespondedAt: new Date(),
      status: 'in_progress',
    });
    const before = new Date();
    await scheduling().scheduleTicketDeadlines(ticket.id);
    const item = await waitFor(() => prisma().agendaItem.findFirst({ where: { ticketId: ticket.id } }), 'the agenda item');
    expect(item.reason).toBe('major');
    const expected = nextBiweeklyForum(before, new Date(FAST_SETTINGS.forumAnchor), 'Asia/Shanghai');
    expect(item.meetingAt?.getTime()).toBe(expected.getTime());
    expect(item.meetingAt!.getTime()).toBeGreaterThan(before.getTime());
    expect(item.meetingAt!.getTime() - before.getTime()).toBeLessThanOrEqual(14 * 86_400_000);
    const notice = await waitFor(async () => (await staffChat(ticket.id))[0], 'the agenda notice');
    expect(notice.text).toContain('重大事项');
  });

  it('does not put a reopened ticket before the forum a second time, though its clocks start again', async () => {
    const ticket = await createTicket(prisma(), c.communityId, {
      areaId: c.laneId,
      householdId: c.householdId,
      assigneeId: c.stewardId,
      status: 'in_progress',
      firstResponseDueAt: new Date(Date.now() - 30 * MINUTE),
      firstRespondedAt: new Date(Date.now() - 29 * MINUTE),
      resolutionDueAt: new Date(Date.now() - MINUTE),
    });
    await scheduling().scheduleTicketDeadlines(ticket.id);
    await waitFor(() => prisma().agendaItem.findFirst({ where: { ticketId: ticket.id } }), 'the first agenda item');
    const events = new EventBus();
    scheduling().listen(events);
    const deps = { translator: h.translator, notifier: new AccountNotifier({ translator: h.translator }), events };
    const staff = { kind: 'staff' as const, staffId: c.stewardId };
    const act = async (action: TicketAction) => {
      const committed = await transactionWithAfterCommit(prisma(), (tx) => applyTicketAction(tx, deps, { ticketId: ticket.id, communityId: c.communityId, action, text: 'x' }));
      await finishCommitted(committed, h.outbox);
      expect(committed.value.ok).toBe(true);
    };
    await act({ type: 'resolve', actor: staff, at: new Date() });
    // Reopened as of twenty minutes ago: the restarted clocks have already run out again.
    await act({ type: 'reopen', actor: staff, at: new Date(Date.now() - 20 * MINUTE) });
    const reopened = await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(reopened.escalationsDone).toEqual(['forum_agenda']);
    expect(reopened.resolutionDueAt!.getTime()).toBeLessThan(Date.now());
    // The new version's resolution step, due already, takes nothing (run here as its job would)…
    expect(await scheduling().deadlines.handle({ ticketId: ticket.id, version: reopened.version, step: 'resolution' })).toBe('nothing_due');
    // …and the ticket is still on the agenda once.
    expect(await prisma().agendaItem.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it('lists a major ticket with no meeting date when no forum rhythm is configured', async () => {
    await prisma().community.update({ where: { id: c.communityId }, data: { ticketSettings: { ...FAST_SETTINGS, forumAnchor: null } } });
    try {
      const ticket = await createTicket(prisma(), c.communityId, { firstResponseDueAt: new Date(Date.now() + 60 * MINUTE), major: true });
      expect(await scheduling().deadlines.handle({ ticketId: ticket.id, version: 0, step: 'major' })).toBe('escalated');
      const item = await prisma().agendaItem.findFirstOrThrow({ where: { ticketId: ticket.id } });
      expect(item.meetingAt).toBeNull();
      expect((await staffChat(ticket.id))[0]!.text).toContain('会议时间待定');
    } finally {
      await prisma().community.update({ where: { id: c.communityId }, data: { ticketSettings: FAST_SETTINGS } });
    }
  });

  it('tells the committee at once when nobody responsible can be reminded in chat', async () => {
    // No assignee, and an area with no steward up its tree.
    const orphanZone = await prisma().area.create({ data: { communityId: c.communityId, name: '楼寓区', path: '楼寓区', depth: 1 } });
    const ticket = await createTicket(prisma(), c.communityId, { areaId: orphanZone.id, firstResponseDueAt: new Date(Date.now() - 1_000) });
    expect(await scheduling().deadlines.handle({ ticketId: ticket.id, version: 0, step: 'first_response' })).toBe('escalated');
    const [alert] = await staffChat(ticket.id);
    expect(alert?.text).toContain('负责人无法在聊天中收到提醒');
  });

  it('takes a step once when two workers run the same job at the same moment', async () => {
    const ticket = await createTicket(prisma(), c.communityId, { areaId: c.laneId, firstResponseDueAt: new Date(Date.now() - 1_000) });
    const job = { ticketId: ticket.id, version: 0, step: 'first_response' as const };
    const outcomes = await Promise.all([scheduling().deadlines.handle(job), scheduling().deadlines.handle(job)]);
    expect(outcomes.sort()).toEqual(['escalated', 'nothing_due']);
    expect(await stewardChat(ticket.number)).toHaveLength(1);
  });

  it('retries a job that runs before its instant instead of dropping it', async () => {
    const ticket = await createTicket(prisma(), c.communityId, { areaId: c.laneId, firstResponseDueAt: new Date(Date.now() + 60 * MINUTE) });
    await expect(scheduling().deadlines.handle({ ticketId: ticket.id, version: 0, step: 'first_response' })).rejects.toBeInstanceOf(DeadlineNotDueError);
    expect(await stewardChat(ticket.number)).toEqual([]);
  });

  it('the sweep schedules open tickets whose jobs were lost, and leaves finished ones alone', async () => {
    const lost = await createTicket(prisma(), c.communityId, { areaId: c.laneId, firstResponseDueAt: new Date(Date.now() - 10_000) });
    const resolved = await createTicket(prisma(), c.communityId, {
      areaId: c.laneId,
      status: 'resolved',
      firstResponseDueAt: new Date(Date.now() - 10_000),
      resolutionDueAt: new Date(Date.now() - 5_000),
      finishedAt: new Date(),
      resolvedAt: new Date(),
    });
    await scheduling().deadlines.sweep(c.communityId);
    await waitFor(async () => (await stewardChat(lost.number)).length === 1, 'the swept reminder');
    expect(await stewardChat(resolved.number)).toEqual([]);
    expect(await prisma().agendaItem.count({ where: { ticketId: resolved.id } })).toBe(0);
  });
});
