/**
 * A binding request in the staff chats, on a real database: the post written in the request's own
 * transaction (number, name, masked phone — never the full one —, the address given, the roster's
 * probable household), signed Approve / Reject buttons on Telegram and the words to type on
 * WeChat; a line after each decision saying who decided, in reply to the post; and nothing at all
 * while no staff chat is bound, with `linli approve`'s path working as before.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/index.js';
import { AccountNotifier } from '../../src/notify/account-notifier.js';
import type { PrismaClient } from '../../src/db/prisma-types.js';
import { approveBindingRequest, createBindingRequest, rejectBindingRequest } from '../../src/features/identity/binding-requests.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { BindingRequestPosts } from '../../src/inbox/binding-request-posts.js';
import { REQUEST_BUTTONS, requestButtons } from '../../src/inbox/card-buttons.js';
import type { OutboundMessage } from '../../src/channels/types.js';
import { ROOT } from '../conversation/support/test-locales.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedAccount, seedHousehold } from '../features/identity/support/seed.js';
import { seedCommunity } from '../support/community.js';
import { BUTTONLESS, recordingButtons, TELEGRAM_LIKE } from '../support/buttons.js';

const translator = loadTranslator(join(ROOT, 'locales'));
const buttons = recordingButtons();
for (const decision of REQUEST_BUTTONS) buttons.record(requestButtons[decision]);
const posts = new BindingRequestPosts({
  translator,
  buttons: buttons.registry,
  capabilitiesOf: (channel) => (channel === 'telegram' ? TELEGRAM_LIKE : BUTTONLESS),
  textLimitOf: () => 4096,
});
const events = new EventBus();
events.on('binding_request.changed', (tx, change) => posts.bindingRequestChanged(tx, change));
const notifier = new AccountNotifier({ translator });
const operator = { kind: 'operator' } as const;

describe.each(databaseTargets())('binding requests in the staff chats on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
  });
  afterAll(() => db?.close());

  /** A community with a plain Telegram staff group and a WeChat staff room. */
  async function communityWithStaffChats(): Promise<string> {
    const communityId = (await seedCommunity(prisma)).id;
    await prisma.boundChat.create({ data: { communityId, purpose: 'staff', channel: 'telegram', chatId: '-100777', isForum: false } });
    await prisma.boundChat.create({ data: { communityId, purpose: 'staff', channel: 'wechat', chatId: 'room-1@chatroom' } });
    return communityId;
  }

  const fileRequest = (communityId: string, chatAccountId: string, fields: { name: string; address: string; phone: string }) =>
    prisma.$transaction(async (tx) => {
      const outcome = await createBindingRequest(tx, { communityId, chatAccountId, ...fields, events });
      if (outcome.status !== 'created') throw new Error(outcome.status);
      return outcome.number;
    });

  const staffRows = async (communityId: string) =>
    (await prisma.outboxMessage.findMany({ where: { communityId, chatAccountId: null }, orderBy: { seq: 'asc' }, include: { refs: true } })).map((row) => ({
      id: row.id,
      channel: row.channel,
      chatId: row.chatId,
      message: row.payload as unknown as OutboundMessage,
      refs: row.refs.map((ref) => ({ subjectKind: ref.subjectKind, subjectId: ref.subjectId, role: ref.role })),
    }));

  it('posts the request to every staff chat: masked phone, address, probable household; buttons on Telegram, words on WeChat', async () => {
    const communityId = await communityWithStaffChats();
    const family = await seedHousehold(prisma, communityId, [{ name: '吴九', phone: '13912345678' }], { address: '团结巷9号' });
    const account = await seedAccount(prisma, communityId);
    const number = await fileRequest(communityId, account, { name: '吴九', address: '团结巷九号院', phone: '13912345678' });

    const rows = await staffRows(communityId);
    expect(rows.map((row) => [row.channel, row.chatId])).toEqual([
      ['telegram', '-100777'],
      ['wechat', 'room-1@chatroom'],
    ]);
    const request = await prisma.bindingRequest.findFirstOrThrow({ where: { communityId, number } });
    for (const { message, refs } of rows) {
      expect(message.text).toContain(`绑定申请${number}`);
      expect(message.text).toContain('姓名：吴九');
      expect(message.text).toContain('电话：139****5678');
      expect(message.text).not.toContain('13912345678');
      expect(message.text).toContain('填写的住址：团结巷九号院');
      expect(message.text).toContain(`住户${family.code}（团结巷9号）`);
      // The payload is the message only; what it is about is its ref.
      expect(Object.keys(message).sort()).toEqual(message.choices ? ['choices', 'text'] : ['text']);
      expect(refs).toEqual([{ subjectKind: 'binding_request', subjectId: request.id, role: 'post' }]);
    }
    const [telegram, wechat] = rows;
    const pressed = [];
    for (const choice of telegram!.message.choices ?? []) pressed.push([choice.label, await buttons.pressed(choice.data)]);
    expect(pressed).toEqual([
      ['✅ 批准', { prefix: requestButtons.approve.prefix, fields: { requestId: request.id } }],
      ['❌ 拒绝', { prefix: requestButtons.reject.prefix, fields: { requestId: request.id } }],
    ]);
    expect(wechat!.message.choices).toBeUndefined();
    expect(wechat!.message.text).toContain(`/approve ${number}`);
    expect(wechat!.message.text).toContain(`/reject ${number}`);
  });

  it('says so when nobody on the roster has that name and phone', async () => {
    const communityId = await communityWithStaffChats();
    await seedHousehold(prisma, communityId, [{ name: '吴九', phone: '13912345678' }]);
    const number = await fileRequest(communityId, await seedAccount(prisma, communityId), { name: '吴九', address: '团结巷', phone: '13900000000' });
    const [post] = await staffRows(communityId);
    expect(post!.message.text).toContain(`绑定申请${number}`);
    expect(post!.message.text).toContain('名册中没有姓名和电话都相符的人');
  });

  it('adds a line saying who decided, in reply to the post once its message id is known', async () => {
    const communityId = await communityWithStaffChats();
    const family = await seedHousehold(prisma, communityId, [{ name: '郑十', phone: '13811112222' }]);
    const account = await seedAccount(prisma, communityId);
    const number = await fileRequest(communityId, account, { name: '郑十', address: '团结巷', phone: '13811112222' });
    const [telegramPost] = await staffRows(communityId);
    // Delivered: Telegram gave the post its id.
    await prisma.outboxMessage.update({ where: { id: telegramPost!.id }, data: { status: 'sent', externalMessageId: '4242' } });

    const outcome = await approveBindingRequest(prisma, { communityId, number, householdCode: family.code, actor: operator, notifier, events });
    expect(outcome.status).toBe('approved');
    const lines = (await staffRows(communityId)).slice(2);
    expect(lines.map((row) => [row.channel, row.message.text, row.message.replyToMessageId])).toEqual([
      ['telegram', `✅ 绑定申请${number}（郑十）已由社区办公室批准，已通知申请人。`, '4242'],
      ['wechat', `✅ 绑定申请${number}（郑十）已由社区办公室批准，已通知申请人。`, undefined],
    ]);
    const request = await prisma.bindingRequest.findFirstOrThrow({ where: { communityId, number } });
    expect(lines[0]!.refs).toEqual([{ subjectKind: 'binding_request', subjectId: request.id, role: 'line' }]);

    // Deciding again changes nothing, and says nothing more in the staff chats.
    expect(await rejectBindingRequest(prisma, { communityId, number, actor: operator, notifier, events })).toEqual({
      status: 'already_decided',
      decision: 'approved',
    });
    expect(await staffRows(communityId)).toHaveLength(4);
  });

  it('with no staff chat bound posts nothing, and the command line still approves and tells the person', async () => {
    const communityId = (await seedCommunity(prisma)).id;
    const family = await seedHousehold(prisma, communityId, [{ name: '冯十二', phone: '13833334444' }]);
    const account = await seedAccount(prisma, communityId);
    const number = await fileRequest(communityId, account, { name: '冯十二', address: '团结巷', phone: '13833334444' });
    expect(await staffRows(communityId)).toEqual([]);
    const outcome = await approveBindingRequest(prisma, { communityId, number, actor: operator, notifier, events });
    expect(outcome).toMatchObject({ status: 'approved', residentId: family.residentIds[0] });
    expect(await staffRows(communityId)).toEqual([]);
    const told = await prisma.outboxMessage.findMany({ where: { chatAccountId: account } });
    expect(told.map((row) => (row.payload as unknown as OutboundMessage).text)).toEqual([expect.stringContaining(`编号${number}`)]);
  });
});
