/**
 * Bound chats through the whole app, on a fourth, made-up channel ("Kite": buttons, replies, no
 * forum topics, 500 characters) that nothing in the app names:
 * - `/bind_group` binds a group to a purpose: a committee member binds (audited), a resident is
 *   refused politely (audited), a purpose that does not exist gets the list of purposes, a chat
 *   bound again takes its new purpose, a target that does not exist is said so;
 * - bound as the staff chat, the ticket inbox works there unchanged: a filed ticket's card
 *   arrives with its buttons (split to the channel's limit), staff claim with a button and reply
 *   to the card, and the resident gets the reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiteChannel, type KiteMessage } from '../fakes/kite-channel.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';
import { TEST_PACING } from './forum-inbox.js';
import { bindAccount, fileComplaint, seedInboxPeople, type InboxPeople } from './support.js';

const STAFF_GROUP = 'kite-group-staff';
const OTHER_GROUP = 'kite-group-lane';
const CHAIR = 'kite-user-chair';
const RESIDENT = 'kite-user-resident';

describe.each(databaseTargets())('bound chats on a fourth channel, on %s', (target) => {
  let t: TestApp;
  let kite: KiteChannel;
  let people: InboxPeople;
  const prisma = () => t.app.database.prisma;
  const texts = (chatId: string) => kite.sentTo(chatId).map((message) => message.text);
  const nextIn = (chatId: string, after: number, match: (m: KiteMessage) => boolean, what: string) =>
    waitFor(() => kite.sentTo(chatId).slice(after).find(match), what);

  beforeAll(async () => {
    kite = new KiteChannel();
    t = await startTestApp(target, { ...TEST_PACING }, undefined, { serve: true, extraChannels: [kite] });
    people = await seedInboxPeople(prisma(), t.app.communityId);
    await bindAccount(prisma(), t.app.communityId, 'kite', CHAIR, people.chairId);
    await bindAccount(prisma(), t.app.communityId, 'kite', RESIDENT, people.residentId);
  }, 90_000);

  afterAll(async () => {
    await t?.close();
  });

  it('binds a group as the staff chat with /bind_group staff, audited as the chair’s doing', async () => {
    await kite.say(STAFF_GROUP, CHAIR, '/bind_group staff');
    const done = await nextIn(STAFF_GROUP, 0, (m) => m.text.includes('已设为社区工作群'), 'the group to be bound');
    expect(done.text).toContain('回复卡片即可回复居民');
    const chat = await prisma().boundChat.findFirstOrThrow({ where: { channel: 'kite', chatId: STAFF_GROUP } });
    expect(chat).toMatchObject({ purpose: 'staff', targetId: null, boundById: people.chairId });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: 'staff_chat.setup', subjectId: chat.id } });
    expect(audit.actorId).toBe(people.chairId);
  });

  it('refuses a resident politely, binds nothing and records the refusal', async () => {
    const before = kite.sentTo(OTHER_GROUP).length;
    await kite.say(OTHER_GROUP, RESIDENT, '/bind_group community');
    const refused = await nextIn(OTHER_GROUP, before, (m) => m.text.includes('职务'), 'the resident to be refused');
    expect(refused.text).toContain('您目前的职务不能办理这件事');
    expect(await prisma().boundChat.findFirst({ where: { channel: 'kite', chatId: OTHER_GROUP } })).toBeNull();
    const refusal = await prisma().auditLog.findFirstOrThrow({ where: { action: 'chat.bind', actorId: people.residentId } });
    expect(refusal).toMatchObject({ details: { purpose: 'community', denied: true, reason: 'role_required' } });
  });

  it('answers a purpose that does not exist with the purposes there are', async () => {
    const before = kite.sentTo(OTHER_GROUP).length;
    await kite.say(OTHER_GROUP, CHAIR, '/bind_group garden');
    const answer = await nextIn(OTHER_GROUP, before, (m) => m.text.includes('garden'), 'the purposes to be listed');
    expect(answer.text).toContain('没有“garden”这个用途');
    for (const purpose of ['staff', 'service_team', 'household_group', 'area', 'community']) expect(answer.text).toContain(`${purpose}：`);
    expect(await prisma().boundChat.findFirst({ where: { channel: 'kite', chatId: OTHER_GROUP } })).toBeNull();
  });

  it('binds a group for an area, and binding it again gives it the new purpose (audited as a rebinding)', async () => {
    const zone = (await prisma().area.findUniqueOrThrow({ where: { id: people.areaId } })).path;
    let before = kite.sentTo(OTHER_GROUP).length;
    await kite.say(OTHER_GROUP, CHAIR, '/bind_group household_group NOPE');
    expect((await nextIn(OTHER_GROUP, before, (m) => m.text.includes('NOPE'), 'the missing group to be named')).text).toContain('没有找到“NOPE”');

    before = kite.sentTo(OTHER_GROUP).length;
    await kite.say(OTHER_GROUP, CHAIR, `/bind_group area ${zone}`);
    expect((await nextIn(OTHER_GROUP, before, (m) => m.text.includes('已绑定为'), 'the area binding')).text).toContain('片区群');
    const area = await prisma().boundChat.findFirstOrThrow({ where: { channel: 'kite', chatId: OTHER_GROUP } });
    expect(area).toMatchObject({ purpose: 'area', targetId: people.areaId, boundById: people.chairId });

    before = kite.sentTo(OTHER_GROUP).length;
    await kite.say(OTHER_GROUP, CHAIR, '/bind_group community');
    expect((await nextIn(OTHER_GROUP, before, (m) => m.text.includes('已绑定为'), 'the rebinding')).text).toContain('全社区群');
    expect(await prisma().boundChat.findFirstOrThrow({ where: { channel: 'kite', chatId: OTHER_GROUP } })).toMatchObject({
      id: area.id,
      purpose: 'community',
      targetId: null,
    });
    const audits = await prisma().auditLog.findMany({ where: { action: 'chat.bind', subjectId: area.id }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((row) => row.details)).toEqual([
      expect.objectContaining({ purpose: 'area', targetId: people.areaId, rebound: false }),
      expect.objectContaining({ purpose: 'community', targetId: null, rebound: true, was: 'area' }),
    ]);
    // The staff chat is still the one staff chat: nothing of the inbox moved.
    expect(await prisma().boundChat.count({ where: { communityId: t.app.communityId, purpose: 'staff' } })).toBe(1);
  });

  it('works as the staff inbox: the card arrives with buttons, staff claim and reply, the resident gets the reply', async () => {
    const before = kite.sentTo(STAFF_GROUP).length;
    const ticket = await fileComplaint(t.app, people.residentId, '三号楼东侧路灯不亮，晚上走路看不清，老人出门不方便。'.repeat(14));
    const withButtons = await nextIn(STAFF_GROUP, before, (m) => (m.choices?.length ?? 0) > 0, 'the card’s buttons');
    // Per-chat order: the card's pieces come first, the buttons under its last one.
    const sent = kite.sentTo(STAFF_GROUP);
    const card = sent.slice(before, sent.indexOf(withButtons) + 1);
    expect(card[0]!.text).toContain(ticket.number);
    // Split to the channel's limit; the hint is the one for replies.
    expect(card.length).toBeGreaterThan(1);
    for (const piece of card) expect(piece.text.length).toBeLessThanOrEqual(500);
    expect(card.map((piece) => piece.text).join('')).toContain('回复这张卡片');
    // Nothing went to the other bound group: only `staff` chats get the inbox's posts.
    expect(texts(OTHER_GROUP).join('\n')).not.toContain(ticket.number);

    const claim = withButtons.choices!.find((choice) => choice.label.includes('认领'))!;
    await kite.press(STAFF_GROUP, CHAIR, claim.data);
    await waitFor(async () => (await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.ticketId } })).assigneeId === people.chairId, 'the ticket to be claimed');

    await kite.say(STAFF_GROUP, CHAIR, '今晚电工上门修理', { replyTo: card[0]!.id });
    const reply = await waitFor(() => kite.sentTo(RESIDENT).find((m) => m.text.includes('今晚电工上门修理')), 'the reply to reach the resident');
    expect(reply.text).toContain(ticket.number);
  });
});
