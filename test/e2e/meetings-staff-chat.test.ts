/**
 * Staff call, move and cancel a meeting from the staff chat (a Telegram group bound for `staff`,
 * real telegraf against the fake Bot API): the committee member's `/meeting` invites the
 * residents, who get the invitation in their private chat with its answer buttons; `/move_meeting`
 * and `/cancel_meeting` tell them; a resident without a staff role is refused in the policy's
 * words and the refusal audited; the commands are refused outside the staff chat; a command
 * missing its words gets the usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount } from '../inbox/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { textOf } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseTargets())('meetings from the staff chat on %s', (target) => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let group: FakeChat;
  const users = {} as Record<'chair' | 'resident', FakeUser>;
  let residentId = '';
  let number = '';
  const prisma = () => t.app.database.prisma;

  /** Says something and waits for a new message containing `part` in `chat`. */
  async function saysIn(chat: FakeChat | FakeUser, user: FakeUser, text: string, part: string): Promise<string> {
    const before = telegram.sentTo(chat).length;
    telegram.userSays(chat, user, text);
    return waitFor(() => telegram.sentTo(chat).slice(before).map(textOf).find((m) => m.includes(part)), `"${part}"`);
  }

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 50 });
    t = await startTestApp(target, { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true });
    const communityId = t.app.communityId;
    const area = await prisma().area.create({ data: { communityId, name: '胜利巷', path: '胜利巷', depth: 1 } });
    const home = await prisma().household.create({ data: { communityId, code: 'S-001', address: '胜利巷1号', areaId: area.id } });
    residentId = (await prisma().resident.create({ data: { communityId, householdId: home.id, name: '赵玉芬' } })).id;
    const chairId = (await prisma().resident.create({ data: { communityId, name: '李主任' } })).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: chairId, role: 'committee', startsOn: new Date(Date.now() - 86_400_000) } });
    users.chair = telegram.createUser({ language_code: 'zh-hans' });
    users.resident = telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), communityId, 'telegram', String(users.chair.id), chairId);
    await bindAccount(prisma(), communityId, 'telegram', String(users.resident.id), residentId);
    group = telegram.createGroup({ title: '社区工作群', type: 'supergroup' });
    await prisma().boundChat.create({ data: { communityId, channel: 'telegram', chatId: String(group.id), purpose: 'staff' } });
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  it('/meeting calls it and the residents get the invitation with answer buttons', async () => {
    const when = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const answer = await saysIn(group, users.chair, `/meeting residents ${when}T19:00 冬季安全会`, '已召集会议');
    number = /(HY-\d{4}-\d{5})/.exec(answer)![1]!;
    const invitation = await waitFor(() => telegram.sentTo(users.resident).find((m) => textOf(m).includes(number)), 'the invitation');
    expect(textOf(invitation)).toContain('冬季安全会');
    expect(invitation.keyboard?.flat().map((b) => b.text)).toEqual(['✅ 参加', '❌ 不能参加', '❔ 待定']);
  });

  it('/move_meeting and /cancel_meeting tell everyone invited', async () => {
    const when = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10);
    await saysIn(group, users.chair, `/move_meeting ${number} ${when}T19:30`, '已改期');
    await waitFor(() => telegram.sentTo(users.resident).find((m) => textOf(m).startsWith('📅 会议改期')), 'the change');
    await saysIn(group, users.chair, `/cancel_meeting ${number} 场地检修`, '已取消');
    const cancelled = await waitFor(() => telegram.sentTo(users.resident).find((m) => textOf(m).startsWith('❌ 会议取消')), 'the cancellation');
    expect(textOf(cancelled)).toContain('场地检修');
  });

  it('a resident without a staff role is refused and the refusal audited; a missing word gets the usage', async () => {
    const stranger = telegram.createUser({ language_code: 'zh-hans' });
    const strangerId = (await prisma().resident.create({ data: { communityId: t.app.communityId, name: '钱某' } })).id;
    await bindAccount(prisma(), t.app.communityId, 'telegram', String(stranger.id), strangerId);
    const when = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const refusal = await saysIn(group, stranger, `/meeting residents ${when}T19:00 我的会`, '');
    expect(refusal).not.toContain('已召集会议');
    const audit = await waitFor(() => prisma().auditLog.findFirst({ where: { actorId: strangerId, action: 'meeting.call' } }), 'the refusal audited');
    expect(audit.details).toMatchObject({ denied: true });
    expect(await saysIn(group, users.chair, '/meeting residents', '用法')).toContain('/move_meeting');
  });

  it('outside the staff chat the commands are refused', async () => {
    expect(await saysIn(users.chair, users.chair, `/cancel_meeting ${number}`, '社区工作群')).toContain('只能由社区工作人员');
  });
});
