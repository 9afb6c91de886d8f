/**
 * A ticket page's forms on a real database: each action through the inbox's one path (policy,
 * audit row marked as coming from the console, the status machine), the fields checked before
 * anything is tried, refusals by the policy audited, the phone revealed only to whom the policy
 * allows (every attempt audited), and the status line each outcome reads as.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PersonActor } from '../../../src/staff-web/shell/viewer.js';
import { runTicketPageAction, type TicketActionForm, type TicketActionOutcome } from '../../../src/staff-web/inbox/ticket-actions.js';
import { ticketActionStatus } from '../../../src/staff-web/inbox/ticket-action-status.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { file, HOUR, personActor, seedInboxWorld, wordsOf, type InboxWorld } from './support.js';

describe.each(databaseTargets())('a ticket page’s actions on %s', (target) => {
  let db: TestDatabase;
  let w: InboxWorld;
  const prisma = () => db.prisma;
  const at = (hours: number) => new Date(w.now.getTime() + hours * HOUR);
  /** As the console signs staff in: their own roles, marked as acting from the console. */
  const consoleActor = async (residentId: string, now: Date): Promise<PersonActor> => ({ ...(await personActor(prisma(), residentId, now)), via: 'console' });
  const run = async (residentId: string, number: string, action: string, form: TicketActionForm = {}, now = at(1)): Promise<TicketActionOutcome> => {
    const actor = await consoleActor(residentId, now);
    return prisma().$transaction((tx) => runTicketPageAction(tx, w.deps, { communityId: w.communityId, actor, number, action, form, now }));
  };
  const ticketRow = (id: string) => prisma().ticket.findUniqueOrThrow({ where: { id } });
  const events = async (ticketId: string) => (await prisma().ticketEvent.findMany({ where: { ticketId }, orderBy: { createdAt: 'asc' } })).map((e) => e.kind);

  beforeAll(async () => {
    db = await createTestDatabase(target);
  }, 60_000);
  afterAll(() => db?.close());
  beforeEach(async () => {
    w = await seedInboxWorld(prisma());
  });

  it('replies, notes and resolves with the text given, audited as from the console; empty text is refused before anything', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.residents.steward, t.number, 'reply', { text: '   ' })).toEqual({ status: 'invalid', problem: 'text_required', number: t.number });
    expect(await run(w.residents.steward, t.number, 'resolve', {})).toMatchObject({ status: 'invalid', problem: 'text_required' });
    expect(await run(w.residents.steward, t.number, 'note', { text: '字'.repeat(2001) })).toMatchObject({ status: 'invalid', problem: 'text_too_long' });
    expect(await events(t.ticketId)).toEqual(['filed']);

    expect(await run(w.residents.steward, t.number, 'reply', { text: ' 明天上午来修 ' }, at(1))).toMatchObject({ status: 'done', action: 'reply', number: t.number, nobodyTold: false });
    expect(await run(w.residents.steward, t.number, 'note', { text: '电工周三有空' }, at(2))).toMatchObject({ status: 'done', action: 'note' });
    expect(await run(w.residents.steward, t.number, 'resolve', { text: '灯已换新' }, at(3))).toMatchObject({ status: 'done', action: 'resolve' });
    const stored = await prisma().ticketEvent.findMany({ where: { ticketId: t.ticketId, kind: { in: ['staff_reply', 'internal_note', 'resolved'] } }, orderBy: { createdAt: 'asc' } });
    expect(stored.map((e) => [e.kind, e.text])).toEqual([
      ['staff_reply', '明天上午来修'],
      ['internal_note', '电工周三有空'],
      ['resolved', '灯已换新'],
    ]);
    expect((await ticketRow(t.ticketId)).status).toBe('resolved');
    const audits = await prisma().auditLog.findMany({ where: { subjectId: t.ticketId, action: { in: ['ticket.reply', 'ticket.internal_note', 'ticket.resolve'] } } });
    expect(audits.map((a) => [a.action, a.via, a.actorId])).toEqual(
      expect.arrayContaining([
        ['ticket.reply', 'console', w.residents.steward],
        ['ticket.internal_note', 'console', w.residents.steward],
        ['ticket.resolve', 'console', w.residents.steward],
      ]),
    );
  });

  it('refuses a steward of another zone through the policy and audits the refusal', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.stewardB, t.number, 'claim')).toEqual({ status: 'denied', reason: 'outside_your_area' });
    const refusal = await prisma().auditLog.findFirstOrThrow({ where: { subjectId: t.ticketId, action: 'ticket.claim', actorId: w.stewardB } });
    expect(refusal.details).toMatchObject({ denied: true, reason: 'outside_your_area' });
    expect((await ticketRow(t.ticketId)).status).toBe('new');
  });

  it('claims, and tells a second claimer it is someone else’s; claiming one’s own again changes nothing', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.residents.council, t.number, 'claim')).toMatchObject({ status: 'done', action: 'claim' });
    expect(await run(w.residents.council, t.number, 'claim')).toEqual({ status: 'unchanged', number: t.number });
    expect(await run(w.residents.steward, t.number, 'claim')).toEqual({ status: 'refused', error: 'already_claimed', number: t.number });
    expect(await ticketRow(t.ticketId)).toMatchObject({ status: 'in_progress', assigneeId: w.residents.council });
  });

  it('assigns only to current staff', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.residents.committee, t.number, 'assign', {})).toMatchObject({ status: 'invalid', problem: 'assignee_required' });
    expect(await run(w.residents.committee, t.number, 'assign', { assigneeId: w.residents.plumber })).toMatchObject({ status: 'invalid', problem: 'assignee_not_staff' });
    expect(await run(w.residents.committee, t.number, 'assign', { assigneeId: w.residents.zhang })).toMatchObject({ status: 'invalid', problem: 'assignee_not_staff' });
    expect(await run(w.residents.committee, t.number, 'assign', { assigneeId: w.stewardB })).toMatchObject({ status: 'done', action: 'assign' });
    expect((await ticketRow(t.ticketId)).assigneeId).toBe(w.stewardB);
  });

  it('merges into the ticket whose number is typed in any form, not into itself or one that does not exist', async () => {
    const kept = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    const dup = await file(prisma(), w, w.residents.li, { at: at(0.5) });
    expect(await run(w.residents.steward, dup.number, 'merge', { into: '' })).toMatchObject({ status: 'invalid', problem: 'into_required' });
    expect(await run(w.residents.steward, dup.number, 'merge', { into: '2026-00099' })).toMatchObject({ status: 'invalid', problem: 'into_not_found' });
    expect(await run(w.residents.steward, dup.number, 'merge', { into: '#2' })).toMatchObject({ status: 'invalid', problem: 'into_same' });
    expect(await run(w.residents.steward, dup.number, 'merge', { into: '2026-00001' })).toMatchObject({ status: 'done', action: 'merge' });
    expect(await ticketRow(dup.ticketId)).toMatchObject({ status: 'merged', mergedIntoId: kept.ticketId });
  });

  it('marks major and reopens a resolved ticket', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.residents.steward, t.number, 'major')).toMatchObject({ status: 'done', action: 'major' });
    expect(await run(w.residents.steward, t.number, 'reopen')).toMatchObject({ status: 'refused', error: 'not_allowed_in_status' });
    await run(w.residents.steward, t.number, 'resolve', { text: '已处理' }, at(2));
    expect(await run(w.residents.steward, t.number, 'reopen', {}, at(3))).toMatchObject({ status: 'done', action: 'reopen' });
    expect(await ticketRow(t.ticketId)).toMatchObject({ status: 'in_progress', major: true, reopenCount: 1 });
  });

  it('reveals the reporter’s phone to the area’s staff only, auditing every attempt', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.residents.steward, t.number, 'reveal_phone')).toEqual({ status: 'revealed', number: t.number, phone: '13812345678', maskedName: '张**' });
    // Handling the ticket elsewhere does not open the household's phone.
    await run(w.residents.committee, t.number, 'assign', { assigneeId: w.stewardB });
    expect(await run(w.stewardB, t.number, 'reveal_phone')).toEqual({ status: 'denied', reason: 'outside_your_area' });
    const rows = await prisma().auditLog.findMany({ where: { action: 'resident.reveal_phone', subjectId: w.residents.zhang }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.actorId, r.via, (r.details as { denied?: boolean }).denied ?? false])).toEqual([
      [w.residents.steward, 'console', false],
      [w.stewardB, 'console', true],
    ]);
  });

  it('answers an unknown action or ticket as not found', async () => {
    const t = await file(prisma(), w, w.residents.zhang, { at: at(0) });
    expect(await run(w.residents.committee, t.number, 'delete')).toEqual({ status: 'not_found' });
    expect(await run(w.residents.committee, 'MQ-2026-00077', 'claim')).toEqual({ status: 'not_found' });
  });

  it('reads each outcome as a status line in the viewer’s words', () => {
    const zh = wordsOf('zh-CN');
    const en = wordsOf('en');
    const done: TicketActionOutcome = { status: 'done', action: 'claim', number: 'MQ-2026-00001', rows: [], nobodyTold: false };
    expect(ticketActionStatus(zh, done)).toEqual({ kind: 'ok', text: '您已认领工单MQ-2026-00001，状态：处理中。' });
    expect(ticketActionStatus(en, { ...done, action: 'reply', nobodyTold: true }).text).toBe(
      'Reply sent to the resident of ticket MQ-2026-00001. The resident has no account that can receive messages: please phone them.',
    );
    expect(ticketActionStatus(zh, { status: 'denied', reason: 'outside_your_area' })).toEqual({ kind: 'error', text: '抱歉，这不在您负责的片区内。' });
    expect(ticketActionStatus(en, { status: 'refused', error: 'already_claimed', number: 'MQ-2026-00001' }).kind).toBe('error');
    expect(ticketActionStatus(zh, { status: 'revealed', number: 'MQ-2026-00001', phone: '13812345678', maskedName: '张**' }).text).toBe('张**的电话：13812345678（已记入审计日志）');
    expect(ticketActionStatus(zh, { status: 'invalid', problem: 'into_same', number: 'MQ-2026-00001' }).text).toBe('不能把工单合并到它自己。');
  });
});
