/**
 * Tickets and the person's own data: "my data" lists the tickets they filed or are the reporter
 * of (nobody else's), and removing the person keeps the tickets for the community's records but
 * strips what they wrote in them and their link to them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTranslator } from '../../../../src/i18n/translator.js';
import { loadActor } from '../../../../src/features/policy/load-actor.js';
import { myDataLines, renderMyData } from '../../../../src/features/privacy/my-data-lines.js';
import { myDataSummary } from '../../../../src/features/privacy/my-data.js';
import { removeResident } from '../../../../src/features/privacy/remove-resident.js';
import { addToMyTicket, fileTicket } from '../../../../src/features/tickets/service/index.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../support/database.js';
import { seedPolicyCommunity, type SeededCommunity } from '../../policy/support/seed-community.js';
import { HOUR, testDeps } from './support.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', '..', 'locales'));

describe.each(databaseTargets())('tickets in my data and on removal on %s', (target) => {
  let db: TestDatabase;
  let c: SeededCommunity;
  const prisma = () => db.prisma;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    c = await seedPolicyCommunity(db.prisma);
  }, 60_000);
  afterAll(() => db?.close());

  it('my data lists one’s own tickets only, in one’s language', async () => {
    const deps = testDeps(c.now);
    const file = async (residentId: string, description: string) => {
      const actor = (await loadActor(prisma(), { residentId }, { now: c.now }))!;
      return prisma().$transaction((tx) => fileTicket(tx, deps, { communityId: c.communityId, actor, kind: 'complaint', category: 'other', description }));
    };
    const mine = await file(c.residents.wang, '王五反映的事情');
    await file(c.residents.zhao, '赵六反映的事情');
    const summary = (await myDataSummary(prisma(), c.residents.wang, { now: c.now }))!;
    expect(summary.tickets).toEqual([{ number: mine.number, kind: 'complaint', status: 'new', createdAt: c.now }]);
    const text = renderMyData(myDataLines(summary, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('zh-CN', key, vars));
    expect(text).toContain(`工单：${mine.number}（投诉，待受理，2026-06-01登记）`);
    expect(text).not.toContain('MQ-2026-00002');
    const en = renderMyData(myDataLines(summary, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('en', key, vars));
    expect(en).toContain(`Ticket: ${mine.number} (Complaint, New, filed 2026-06-01)`);
    // Nobody's tickets: no ticket line at all.
    expect((await myDataSummary(prisma(), c.residents.li, { now: c.now }))!.tickets).toBeUndefined();
  });

  it('removing the person keeps the ticket but strips their words and their link to it', async () => {
    const deps = testDeps(c.now);
    const actor = (await loadActor(prisma(), { residentId: c.residents.zhao }, { now: c.now }))!;
    const filed = await prisma().$transaction((tx) => fileTicket(tx, deps, { communityId: c.communityId, actor, kind: 'complaint', category: 'other', description: '赵六家楼上漏水' }));
    await prisma().$transaction((tx) => addToMyTicket(tx, deps, { actor, ticketId: filed.ticketId, text: '我的电话13600003333', photos: ['p1'], at: new Date(c.now.getTime() + HOUR) }));
    await prisma().$transaction((tx) => removeResident(tx, { residentId: c.residents.zhao, actor, now: c.now }));
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: filed.ticketId } });
    expect(ticket).toMatchObject({ reporterId: null, filedById: null, number: filed.number });
    const events = await prisma().ticketEvent.findMany({ where: { ticketId: filed.ticketId }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.kind, e.actorId, e.text, e.photos])).toEqual([
      ['filed', null, null, []],
      ['resident_message', null, null, []],
    ]);
  });
});
