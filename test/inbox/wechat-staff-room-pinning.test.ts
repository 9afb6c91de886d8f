/**
 * The WeChat staff room is pinned by its id once bound: a room made later with the same name and
 * the bot invited is ignored (staff are told in the real room), and a rename of the real room is
 * followed. Real wechaty with the mock puppet, the whole app on real databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, watch, type ContactMock, type RoomMock, type SeenMessage } from '../channels/wechat/wechat-harness.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { TEST_PACING } from './forum-inbox.js';
import { bindAccount, seedInboxPeople, type InboxPeople } from './support.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';
import { STAFF_ROOM, wechatStaffRoom } from './wechat-staff-room.js';

const fromBot = (seen: SeenMessage[], botId: string) => seen.filter((m) => m.payload.talkerId === botId).map((m) => m.payload.text ?? '');

describe.each(databaseTargets())('the WeChat staff room on %s', (target) => {
  let t: TestApp;
  let staff: ReturnType<typeof wechatStaffRoom>;
  let people: InboxPeople;
  let stranger: ContactMock;
  let impostor: RoomMock;
  let impostorSeen: SeenMessage[];
  const prisma = () => t.app.database.prisma;
  const staffChat = () => prisma().boundChat.findFirst({ where: { purpose: 'staff', channel: 'wechat' } });

  beforeAll(async () => {
    staff = wechatStaffRoom(['李主任']);
    t = await startTestApp(target, { ...TEST_PACING, WECHAT_STAFF_ROOM: STAFF_ROOM }, undefined, { serve: true, wechatPuppet: staff.puppet });
    people = await seedInboxPeople(prisma(), t.app.communityId);
    await bindAccount(prisma(), t.app.communityId, 'wechat', staff.members[0]!.id, people.chairId);
    stranger = staff.mocker.createContact({ name: '陌生人', avatar: '' });
    staff.mocker.login(staff.bot);
    await waitFor(async () => (await staffChat()) ?? undefined, 'the staff room to be bound');
  }, 90_000);

  afterAll(async () => {
    await t?.close();
  });

  it('is bound by the name the first time, and its name is kept', async () => {
    expect(await staffChat()).toMatchObject({ chatId: staff.room.id, title: STAFF_ROOM });
  });

  it('ignores a new room with the same name at the next login, and tells staff in the real room', async () => {
    impostor = createRoom(staff.mocker, STAFF_ROOM, [staff.bot, stranger]);
    impostorSeen = watch(impostor);
    const before = fromBot(staff.seen, staff.bot.id).length;
    const wechat = t.app.channels.get('wechat') as unknown as { bot: { logout(): Promise<void>; isLoggedIn: boolean } };
    await wechat.bot.logout();
    staff.mocker.login(staff.bot);
    const warning = await waitFor(() => fromBot(staff.seen, staff.bot.id).slice(before).find((text) => text.includes(`也叫“${STAFF_ROOM}”`)), 'the warning in the staff room');
    expect(warning).toContain('社区工作群仍然是本群');
    expect(await staffChat()).toMatchObject({ chatId: staff.room.id, title: STAFF_ROOM });

    // What is said in the other room is nobody's staff work: a command there is not taken.
    stranger.say(`/setup_staff_chat`).to(impostor);
    await whenQuiet(prisma());
    expect(await staffChat()).toMatchObject({ chatId: staff.room.id });
    expect(fromBot(impostorSeen, staff.bot.id).join('\n')).not.toContain('已设为社区工作群');

    // Told once, not at every login.
    const told = fromBot(staff.seen, staff.bot.id).length;
    await wechat.bot.logout();
    staff.mocker.login(staff.bot);
    await waitFor(() => wechat.bot.isLoggedIn, 'the bot logged in again');
    await whenQuiet(prisma());
    expect(fromBot(staff.seen, staff.bot.id).length).toBe(told);
  });

  it('follows a rename of the real room: still bound to it, the stored name updated', async () => {
    staff.room.topic('团结社区工作群（新）').by(staff.members[0]!);
    await waitFor(async () => ((await staffChat())?.title === '团结社区工作群（新）' ? true : undefined), 'the new name stored');
    expect(await staffChat()).toMatchObject({ chatId: staff.room.id });
  });
});
