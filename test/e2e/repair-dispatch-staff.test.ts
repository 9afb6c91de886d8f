/**
 * Staff handle a repair job from the staff chat (a Telegram forum, real telegraf against the fake
 * Bot API): `/dispatch` shows who was offered it and how each offer ended, `/reassign … <name>`
 * takes it from one member and offers it to the named one, `/cancel_job` ends it and tells the
 * member; the same commands from someone who is not staff change nothing, and outside the staff
 * chat they are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUser } from '../fakes/telegram-bot-api/world.js';
import { bindAccount } from '../inbox/support.js';
import { startForumInbox, type ForumInbox } from '../inbox/forum-inbox.js';
import { WebPerson } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import { fileRepairIn } from '../features/repairs/dispatch/app-filing.js';

describe.each(databaseTargets())('repair jobs in the staff chat on %s', (target) => {
  let f: ForumInbox;
  const users: Record<'chair' | 'neighbour', FakeUser> = {} as never;
  const members: { name: string; person: WebPerson; residentId: string }[] = [];
  const prisma = () => f.t.app.database.prisma;
  const forumTexts = () => f.telegram.sentTo(f.forum.id).map((m) => m.text ?? '');
  const waitForForum = (part: string) => waitFor(() => forumTexts().find((text) => text.includes(part)), `"${part}" in the staff chat`);

  beforeAll(async () => {
    f = await startForumInbox(target, { FLOOD_MAX_MESSAGES: '1000' });
    const communityId = f.t.app.communityId;
    users.chair = f.telegram.createUser({ language_code: 'zh-hans' });
    users.neighbour = f.telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), communityId, 'telegram', String(users.chair.id), f.people.chairId);
    await bindAccount(prisma(), communityId, 'telegram', String(users.neighbour.id), f.people.neighbourId);
    for (const name of ['钱师傅', '孙师傅']) {
      const resident = await prisma().resident.create({ data: { communityId, name } });
      await prisma().roleAssignment.create({ data: { communityId, residentId: resident.id, role: 'service_team', skills: ['plumbing'] } });
      const person = new WebPerson(f.t.app);
      await prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: person.sessionId, residentId: resident.id, boundAt: new Date() } });
      members.push({ name, person, residentId: resident.id });
    }
  }, 90_000);
  afterAll(async () => {
    await f?.t.close();
    await f?.telegram.close();
  });

  it('shows the history, reassigns to a named member and cancels; a neighbour can do none of it', async () => {
    const leak = await fileRepairIn(f.t.app, f.people.residentId);
    const offer = await waitFor(() => prisma().dispatchOffer.findFirst({ where: { workOrderId: leak.workOrderId, status: 'open' } }), 'the first offer');
    const first = members.find((m) => m.residentId === offer.memberId)!;
    const other = members.find((m) => m !== first)!;

    f.telegram.userSays(f.forum, users.chair, `/dispatch ${leak.number}`);
    const history = await waitForForum(`${leak.number}派单记录`);
    expect(history).toContain('状态：派单中');
    expect(history).toContain(`派给${first.name}：待答复`);

    // Not staff: refused, nothing changes.
    f.telegram.userSays(f.forum, users.neighbour, `/cancel_job ${leak.number}`);
    f.telegram.userSays(f.forum, users.chair, `/reassign ${leak.number} ${other.name}`);
    await waitForForum(`${leak.number}已改派：${other.name}`);
    const offers = await prisma().dispatchOffer.findMany({ where: { workOrderId: leak.workOrderId }, orderBy: { offeredAt: 'asc' } });
    expect(offers.map((o) => [o.memberId, o.status])).toEqual([
      [first.residentId, 'withdrawn'],
      [other.residentId, 'open'],
    ]);
    await waitFor(async () => ((await other.person.received()).at(-1)?.text.includes(leak.number) ? true : undefined), 'the named member’s offer');
    expect((await first.person.received()).at(-1)?.text).toContain('收回');

    f.telegram.userSays(f.forum, users.chair, `/cancel_job ${leak.number}`);
    await waitForForum(`${leak.number}已取消`);
    expect((await prisma().workOrder.findUniqueOrThrow({ where: { id: leak.workOrderId } })).status).toBe('cancelled');
    const audits = await prisma().auditLog.findMany({ where: { subjectId: leak.workOrderId }, orderBy: { createdAt: 'asc' } });
    // The neighbour's attempt is refused and audited; the chair's moves are recorded.
    expect(audits.map((a) => [a.action, a.actorId])).toEqual([
      ['job.dispatch', f.people.neighbourId],
      ['job.reassign', f.people.chairId],
      ['job.cancel', f.people.chairId],
    ]);
    expect(audits[0]!.details).toMatchObject({ denied: true, move: 'cancel' });
  });

  it('refuses the commands outside the staff chat', async () => {
    f.telegram.userSays(users.chair, users.chair, '/dispatch BX-2026-00001');
    const refused = await waitFor(() => f.telegram.sentTo(users.chair.id).map((m) => m.text ?? '').find((text) => text.includes('工作群')), 'the refusal');
    expect(refused).toBeTruthy();
  });
});
