/**
 * What a staff member's reply in a plain Telegram staff group is about, through the whole app on
 * real databases: the message replied to is found by its platform id, and its message refs say
 * what it is about. A reply to any message of a ticket's thread — here a line and a prompt, not
 * only the card — is about the ticket; a reply to a binding request's post is about the request;
 * a reply to a message of ours that is about nothing is answered as any message with no ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { askToBeBound, bindAccount, fileComplaint, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';

const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';

describe.each(databaseTargets())('staff replies found through message refs on %s', (target) => {
  let telegram: FakeTelegramBotApi;
  let group: FakeChat;
  let t: TestApp;
  let people: InboxPeople;
  let ticket: { ticketId: string; number: string };
  let card: SentMessage;
  const users = {} as Record<'resident' | 'chair' | 'steward', FakeUser>;
  const prisma = () => t.app.database.prisma;
  const inGroup = () => telegram.sentTo(group);
  const nextInGroup = (match: (m: SentMessage) => boolean, what: string) => waitFor(() => inGroup().find(match), what);
  const residentMessages = () => telegram.sentTo(users.resident).map(textOf);
  const buttonOf = (message: SentMessage, label: string) => message.keyboard!.flat().find((b) => b.text.includes(label))!.callback_data!;

  beforeAll(async () => {
    telegram = await FakeTelegramBotApi.start({ scale: 50 });
    group = telegram.createGroup({ title: '社区工作群', type: 'supergroup' });
    t = await startTestApp(
      target,
      { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_STAFF_CHAT_ID: String(group.id) },
      undefined,
      { serve: true },
    );
    people = await seedInboxPeople(prisma(), t.app.communityId);
    for (const name of ['resident', 'chair', 'steward'] as const) users[name] = telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.resident.id), people.residentId);
    await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.chair.id), people.chairId);
    await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.steward.id), people.stewardId);
    ticket = await fileComplaint(t.app, people.residentId, '小区东门路灯不亮');
    card = await nextInGroup((m) => textOf(m).includes(ticket.number) && m.keyboard !== undefined, 'the card');
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  it('a reply to a line of the ticket (not its card) reaches the resident', async () => {
    telegram.userPresses(group, users.steward, card.messageId, buttonOf(card, '认领'));
    const line = await nextInGroup((m) => textOf(m).includes('认领了此事项'), 'the claim line');
    const before = residentMessages().length;
    telegram.userSays(group, users.steward, '今晚就换灯泡。', { replyTo: line.messageId });
    await waitFor(() => residentMessages().slice(before).find((m) => m.includes('今晚就换灯泡')), 'the reply at the resident');
    const reply = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.ticketId, kind: 'staff_reply' } });
    expect(reply).toMatchObject({ actorId: people.stewardId, text: '今晚就换灯泡。' });
  });

  it('a reply to a prompt gives the prompt’s action its words (an internal note: nothing to the resident)', async () => {
    telegram.userPresses(group, users.steward, card.messageId, buttonOf(card, '内部备注'));
    const prompt = await nextInGroup((m) => textOf(m).includes('写下内部备注'), 'the prompt');
    const before = residentMessages().length;
    telegram.userSays(group, users.steward, '灯具需要整体更换。', { replyTo: prompt.messageId });
    await nextInGroup((m) => textOf(m).includes('内部备注') && textOf(m).includes('灯具需要整体更换'), 'the note line');
    const note = await prisma().ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.ticketId, kind: 'internal_note' } });
    expect(note).toMatchObject({ actorId: people.stewardId, text: '灯具需要整体更换。' });
    await whenQuiet(prisma());
    expect(residentMessages().slice(before)).toEqual([]);
  });

  it('a reply to a binding request’s post decides that request', async () => {
    const person = new WebPerson(t.app);
    const number = await askToBeBound(person, { name: '孙七', address: '团结巷七号', phone: '13955556666' });
    const post = await nextInGroup((m) => textOf(m).includes(`绑定申请${number}`) && m.keyboard !== undefined, 'the request’s post');
    telegram.userSays(group, users.chair, '/reject', { replyTo: post.messageId });
    const line = await nextInGroup((m) => textOf(m).includes(`绑定申请${number}（孙七）已由李主任拒绝`), 'the decision line');
    // The line finds the post through its ref too, and answers under it.
    expect(line.replyTo).toBe(post.messageId);
    const request = await prisma().bindingRequest.findFirstOrThrow({ where: { communityId: t.app.communityId, number } });
    expect(request.status).toBe('rejected');
  });

  it('a reply to a message of ours about nothing gets the answer a message with no ticket gets', async () => {
    telegram.userSays(group, users.chair, '/help');
    const help = await nextInGroup((m) => textOf(m).includes('工作群用法'), 'the help');
    const events = await prisma().ticketEvent.count({ where: { ticketId: ticket.ticketId } });
    const before = residentMessages().length;
    telegram.userSays(group, users.steward, '/claim', { replyTo: help.messageId });
    await nextInGroup((m) => textOf(m).includes('请写明事项编号'), 'the question which ticket');
    // Words in reply to it are staff talking among themselves: nothing reaches anyone.
    telegram.userSays(group, users.steward, '收到。', { replyTo: help.messageId });
    await whenQuiet(prisma());
    expect(await prisma().ticketEvent.count({ where: { ticketId: ticket.ticketId } })).toBe(events);
    expect(residentMessages().slice(before)).toEqual([]);
  });
});
