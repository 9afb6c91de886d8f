/**
 * Meetings in the staff console over HTTP (fastify inject, the real app and database): the
 * committee calls a meeting with the form — its type's audience invited, told in their chat,
 * audited as from the console — moves it and cancels it with a reason, each invitee told as the
 * chat commands tell them; closes a sitting under way, after which check-in is refused; a
 * steward is offered no form and a forged call is refused (403, audited); bad input answers 4xx
 * in words (a NUL, impossible and far dates, a huge body, no CSRF token), never 500. The
 * petitions page shows signatures against each threshold and the one met.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn } from '../../../src/features/meetings/floor/service/check-in.js';
import { findMeeting } from '../../../src/features/meetings/floor/service/meeting-lookup.js';
import { signPetition, startPetition } from '../../../src/features/meetings/floor/service/petitions.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { localMinute } from '../../../src/features/tickets/scheduling/local-format.js';
import { ChatStaffAlerts } from '../../../src/features/tickets/scheduling/staff-alerts.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from '../../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { createMeeting, createRepresentatives } from '../../support/meetings.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { waitFor } from '../../support/wait-for.js';
import { translator } from '../../features/tickets/scheduling/harness.js';

describe.each(databaseTargets())('meetings in the staff console (%s)', (target) => {
  let test: TestApp;
  let people: InboxPeople;
  let stewardChat: WebPerson;
  let timezone: string;
  let addresses = 0;
  const prisma = () => test.app.database.prisma;
  /** A moment as the form's datetime-local field holds it, in the community's zone. */
  const local = (at: Date) => localMinute(at, timezone).replace(' ', 'T');

  beforeAll(async () => {
    test = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    people = await seedInboxPeople(prisma(), test.app.communityId);
    timezone = (await prisma().community.findUniqueOrThrow({ where: { id: test.app.communityId } })).timezone;
    stewardChat = new WebPerson(test.app);
    await bindAccount(prisma(), test.app.communityId, 'web', stewardChat.sessionId, people.stewardId);
  }, 90_000);
  afterAll(() => test?.close());

  const signedIn = async (name: string, residentId: string) => {
    addresses += 1;
    const browser = new StaffBrowser(test.app, `198.51.100.${addresses}`);
    await browser.signIn(name, residentId);
    return browser;
  };
  const told = (part: string) => waitFor(async () => (await stewardChat.received()).find((m) => m.text.includes(part)), `"${part}" in the steward's chat`);

  it('calls a coordination meeting from the form, inviting committee and stewards, then moves and cancels it, each invitee told', async () => {
    const chair = await signedIn('李主任', people.chairId);
    const list = await chair.get('/staff/meetings');
    expect(list.status).toBe(200);
    expect(list.body).toContain('召集会议');
    expect(list.body).toContain('邀请：居委会委员、包片干部');
    expect(list.body).toContain('邀请：十户长、居委会委员');

    const starts = new Date(Date.now() + 3 * 86_400_000);
    const called = await chair.post('/staff/meetings', {
      type: 'coordination',
      title: '冬季供暖协调会',
      starts_at: local(starts),
      minutes: '90',
      place: '社区活动室',
      agenda: '供暖报修分工\n独居老人走访',
      reminders: '24h 1h',
    });
    expect(called.status).toBe(303);
    const number = /\/staff\/meetings\/(HY-\d{4}-\d{5})\?done=called/.exec(called.location ?? '')?.[1];
    expect(number).toBeDefined();
    const meeting = await prisma().meeting.findFirstOrThrow({ where: { number }, include: { invitations: true } });
    expect(meeting).toMatchObject({ type: 'coordination', title: '冬季供暖协调会', place: '社区活动室', reminderOffsets: [1440, 60] });
    expect(meeting.endsAt.getTime() - meeting.startsAt.getTime()).toBe(90 * 60_000);
    expect(local(meeting.startsAt)).toBe(local(starts));
    expect(meeting.invitations.map((i) => i.residentId).sort()).toEqual([people.chairId, people.stewardId].sort());
    expect(await prisma().auditLog.findFirstOrThrow({ where: { action: 'meeting.called', subjectId: meeting.id } })).toMatchObject({ actorId: people.chairId, via: 'console' });
    const invitation = await told('会议通知：冬季供暖协调会');
    expect(invitation.text).toContain('供暖报修分工');
    const page = await chair.get(called.location!);
    expect(page.body).toContain(`已召集会议${number}，邀请已发出。`);
    expect(page.body).toContain('改期并通知受邀人');

    const later = new Date(starts.getTime() + 86_400_000);
    const moved = await chair.post(`/staff/meetings/${number}/move`, { starts_at: local(later), place: '社区二楼会议室' });
    expect(moved.status).toBe(303);
    expect(await prisma().meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ version: 1, place: '社区二楼会议室', startsAt: new Date(meeting.startsAt.getTime() + 86_400_000) });
    const change = await told('会议改期：冬季供暖协调会');
    expect(change.text).toContain('社区二楼会议室');
    // The same time and place again changes nothing, in words.
    const same = await chair.post(`/staff/meetings/${number}/move`, { starts_at: local(later), place: '社区二楼会议室' });
    expect(same.status).toBe(400);
    expect(same.body).toContain('新时间与原时间相同，没有改动。');
    // Answered on the meeting's own page, its forms still there.
    expect(same.body).toContain('改期并通知受邀人');

    await chair.get(`/staff/meetings/${number}`);
    const cancelled = await chair.post(`/staff/meetings/${number}/cancel`, { reason: '供暖公司改期' });
    expect(cancelled.status).toBe(303);
    expect(await prisma().meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ status: 'cancelled', cancelReason: '供暖公司改期' });
    expect((await told('会议取消：冬季供暖协调会')).text).toContain('供暖公司改期');
    const after = await chair.get(`/staff/meetings/${number}`);
    expect(after.body).toContain('这次会议已取消。');
    expect(after.body).not.toContain('改期并通知受邀人');
    const again = await chair.post(`/staff/meetings/${number}/cancel`, { reason: '' });
    expect(again.status).toBe(409);
    expect(again.body).toContain('已取消或已经开过');
  });

  it('offers a steward no form and refuses a forged call, audited', async () => {
    const steward = await signedIn('张网格', people.stewardId);
    const list = await steward.get('/staff/meetings');
    expect(list.status).toBe(200);
    expect(list.body).not.toContain('召集会议');
    const before = await prisma().meeting.count();
    const forged = await steward.post('/staff/meetings', { type: 'assembly', title: '自己召集的大会', starts_at: local(new Date(Date.now() + 86_400_000)) });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('这不在您负责的片区内');
    expect(await prisma().meeting.count()).toBe(before);
    expect(await prisma().auditLog.findFirstOrThrow({ where: { action: 'meeting.call', actorId: people.stewardId } })).toMatchObject({ details: expect.objectContaining({ denied: true }) });
  });

  it('answers bad input with words and a 4xx, never a 500', async () => {
    const chair = await signedIn('李主任', people.chairId);
    await chair.get('/staff/meetings');
    const tomorrow = local(new Date(Date.now() + 86_400_000));
    const call = (fields: Record<string, string | null>) => chair.post('/staff/meetings', { type: 'forum', title: '半月谈', starts_at: tomorrow, ...fields });
    const before = await prisma().meeting.count();

    const nul = await call({ title: '半月\u0000谈' });
    expect(nul.status).toBe(400);
    expect(nul.body).toContain('表单内容不对');
    const impossible = await call({ starts_at: '2026-02-30T10:00' });
    expect(impossible.status).toBe(400);
    expect(impossible.body).toContain('请填写正确的开始时间');
    const far = await call({ starts_at: '2999-01-01T10:00' });
    expect(far.status).toBe(400);
    expect(far.body).toContain('只能安排两年以内的会议');
    const past = await call({ starts_at: '2020-01-01T10:00' });
    expect(past.status).toBe(400);
    expect(past.body).toContain('会议时间必须在将来');
    const type = await call({ type: 'party' });
    expect(type.status).toBe(400);
    const minutes = await call({ minutes: '5' });
    expect(minutes.status).toBe(400);
    expect(minutes.body).toContain('会议时长应在15分钟到24小时之间');
    const reminders = await call({ reminders: '明天' });
    expect(reminders.status).toBe(400);
    expect(reminders.body).toContain('提醒时间不对');
    // The words typed so far stay in the form.
    expect(reminders.body).toContain('value="半月谈"');
    const huge = await call({ agenda: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).not.toContain('stack');
    const noToken = await chair.post('/staff/meetings', { _csrf: null, type: 'forum', title: '半月谈', starts_at: tomorrow });
    expect(noToken.status).toBe(403);
    const some = await prisma().meeting.create({
      data: { communityId: test.app.communityId, number: 'HY-2026-09999', type: 'forum', title: '待改期', startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000), audience: {} },
    });
    const badMove = await chair.post(`/staff/meetings/${some.number}/move`, { starts_at: 'tomorrow' });
    expect(badMove.status).toBe(400);
    expect(badMove.body).toContain('请填写正确的开始时间');
    const farMove = await chair.post(`/staff/meetings/${some.number}/move`, { starts_at: '2999-01-01T10:00' });
    expect(farMove.status).toBe(400);
    expect(farMove.body).toContain('只能安排两年以内的会议');
    expect((await prisma().meeting.findUniqueOrThrow({ where: { id: some.id } })).version).toBe(0);
    const unknown = await chair.post('/staff/meetings/HY-2026-99999/move', { starts_at: tomorrow });
    expect(unknown.status).toBe(404);
    expect((await chair.post('/staff/meetings/../../etc/cancel', {})).status).toBe(404);
    expect(await prisma().meeting.count()).toBe(before + 1);
  });

  it('closes a sitting under way from its page; check-in is refused afterwards and the page says the minutes are final', async () => {
    const [repId] = await createRepresentatives(prisma(), test.app.communityId, ['孙代表']);
    const made = await createMeeting(prisma(), test.app.communityId, { startsAt: new Date(Date.now() - 30 * 60_000), invitees: [repId!], title: '居民代表大会' });
    await prisma().meeting.update({ where: { id: made.id }, data: { status: 'held', checkInCode: '424242', rollSize: 1 } });
    const chair = await signedIn('李主任', people.chairId);
    const page = await chair.get(`/staff/meetings/${made.number}`);
    expect(page.body).toContain('>闭会</button>');
    const closed = await chair.post(`/staff/meetings/${made.number}/close`, {});
    expect(closed.status).toBe(303);
    const after = await chair.get(closed.location!);
    expect(after.body).toContain('已闭会，会议记录已定稿。');
    expect(after.body).not.toContain('>闭会</button>');
    expect(await prisma().meeting.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ status: 'closed', closedAt: expect.any(Date) });
    expect(await prisma().auditLog.findFirstOrThrow({ where: { action: 'meeting.closed', subjectId: made.id } })).toMatchObject({ actorId: people.chairId, via: 'console' });
    const m = (await findMeeting(prisma(), made.id))!;
    expect(await prisma().$transaction((tx) => checkIn(tx, m, repId!, 'button', new Date()))).toMatchObject({ status: 'closed' });
    const twice = await chair.post(`/staff/meetings/${made.number}/close`, {});
    expect(twice.status).toBe(409);
    expect(twice.body).toContain('已经闭会了');
    // A steward of one lane does not run a community-wide sitting.
    const steward = await signedIn('张网格', people.stewardId);
    await steward.get('/staff/meetings');
    expect((await steward.post(`/staff/meetings/${made.number}/close`, {})).status).toBe(403);
  });

  it('lists petitions with their signatures against each threshold and the one met', async () => {
    const communityId = test.app.communityId;
    const floor = { translator, staffAlerts: new ChatStaffAlerts(), ballotKey: 'k', now: () => new Date() };
    const reps = await createRepresentatives(prisma(), communityId, ['甲代表', '乙代表', '丙代表', '丁代表', '戊代表']);
    const as = async (id: string) => (await loadActor(prisma(), { residentId: id })) as Extract<Actor, { kind: 'person' }>;
    const [first, second, resident] = [await as(reps[0]!), await as(reps[1]!), await as(people.stewardId)];
    const started = await prisma().$transaction((tx) => startPetition(tx, floor, first, { title: '加装电梯', reason: '加装电梯' }));
    const bound = 'petition' in started ? started.petition.number : '';
    // One third of the representatives on the roll (5 or 6): 2 bind it.
    expect(await prisma().$transaction((tx) => signPetition(tx, floor, second, bound))).toMatchObject({ status: 'binding' });
    const open = await prisma().$transaction((tx) => startPetition(tx, floor, resident, { title: '增设快递柜', reason: '增设快递柜' }));
    const openNumber = 'petition' in open ? open.petition.number : '';

    const chair = await signedIn('李主任', people.chairId);
    expect((await chair.get('/staff/meetings')).body).toContain('href="/staff/meetings/petitions"');
    const page = await chair.get('/staff/meetings/petitions');
    expect(page.status).toBe(200);
    const card = (number: string) => page.body.slice(page.body.indexOf(`${number} `), page.body.indexOf('</li>', page.body.indexOf(`${number} `)));
    expect(card(bound)).toContain('已达到：三分之一以上居民代表');
    const roll = await prisma().roleAssignment.count({ where: { communityId, role: 'representative' } });
    expect(roll).toBeLessThanOrEqual(6);
    expect(card(bound)).toContain(`三分之一以上居民代表</th><td class="petition-count">2/2<br><small>共${roll}</small></td><td>✅已达到</td>`);
    expect(card(openNumber)).toContain('征集签名中');
    // Started by a steward who lives elsewhere: a signature that counts for no threshold yet.
    expect(card(openNumber)).toContain('五分之一以上户</th><td class="petition-count">0/1<br><small>共2</small></td><td>还差1</td>');
    expect(card(openNumber)).toContain(`三分之一以上居民代表</th><td class="petition-count">0/2<br><small>共${roll}</small></td><td>还差2</td>`);
    expect(card(openNumber)).not.toContain('已达到：');
    const steward = await signedIn('张网格', people.stewardId);
    const refused = await steward.get('/staff/meetings/petitions');
    expect(refused.status).toBe(403);
    expect(await prisma().auditLog.count({ where: { action: 'petition.list_viewed', actorId: people.stewardId } })).toBe(1);
  });
});
