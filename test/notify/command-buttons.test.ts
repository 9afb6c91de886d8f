/**
 * Command buttons under notices ("评价" under a rating question): they run the command for the
 * account they were sent to, and for nobody else; altered data is refused; data that would not
 * fit Telegram's 64 bytes is not made at all. A notice carries them on channels with buttons,
 * and only there (WeChat gets the words to type and the buttons as numbered lines, kept to be
 * pressed by number). Real database for the notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AccountNotifier } from '../../src/notify/account-notifier.js';
import { commandButton, commandButtonFields } from '../../src/notify/command-buttons.js';
import { choiceButton } from '../../src/conversation/choice-buttons.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { ButtonSigner } from '../../src/security/button-signing.js';
import type { ChannelName, OutboundMessage } from '../../src/channels/types.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';
import { BUTTONLESS, recordingButtons, TELEGRAM_LIKE } from '../support/buttons.js';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));

function setUp() {
  const buttons = recordingButtons(SECRET);
  buttons.record(choiceButton, { answersUnknown: true });
  buttons.record(commandButton);
  const data = (chatAccountId: string, command: string) =>
    buttons.registry.buttons(commandButton, TELEGRAM_LIKE, [{ label: 'x', fields: commandButtonFields(chatAccountId, command) }])![0]!.data;
  /** The command a press runs, or the refusal. */
  const commandOf = async (pressed: string, by: string) => {
    const result = await buttons.pressed(pressed, by);
    return result && 'fields' in result ? (result.fields as { command: string }).command : result;
  };
  return { ...buttons, data, commandOf };
}

describe('command buttons', () => {
  it('run the command for the account they were made for, and refuse anyone else or altered data', async () => {
    const { data, commandOf } = setUp();
    const pressed = data('account-1', '/rate MQ-2026-00123');
    expect(Buffer.byteLength(pressed)).toBeLessThanOrEqual(64);
    expect(await commandOf(pressed, 'account-1')).toBe('/rate MQ-2026-00123');
    expect(await commandOf(pressed, 'account-2')).toEqual({ prefix: 'k', refused: 'not_yours' });
    expect(await commandOf(pressed.replace('00123', '00124'), 'account-1')).toEqual({ prefix: 'k', refused: 'forged' });
    const elsewhere = new ButtonSigner('another-secret-entirely-0123456789abcdef');
    expect(await commandOf(elsewhere.sign(['k', commandButtonFields('account-1', '/rate MQ-2026-00123').account, '/rate MQ-2026-00123']), 'account-1')).toEqual({ prefix: 'k', refused: 'forged' });
  });

  it('leave other button data to whoever owns it', async () => {
    const { pressed } = setUp();
    const flow = new ButtonSigner(SECRET).sign(['c', 'abc', 'value']);
    expect(await pressed(flow, 'account-1')).toEqual({ prefix: 'c', fields: { at: 'abc', token: 'value' } });
  });

  it('that would not fit a Telegram button are an error, never a notice quietly without its button', () => {
    const { data } = setUp();
    expect(() => data('account-1', `/rate ${'长'.repeat(20)}`)).toThrow(/exceeds the channel's 64/);
    expect(() => data('account-1', '/rate a|b')).toThrow(/"\|"/);
  });
});

describe.each(databaseTargets())('a notice with a command button on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  const buttons = setUp();
  const notifier = new AccountNotifier({ translator, buttons: buttons.registry, capabilitiesOf: (channel) => (channel === 'wechat' ? BUTTONLESS : TELEGRAM_LIKE) });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma, { name: '团结路社区' })).id;
  });
  afterAll(() => db?.close());

  let people = 0;
  const noticeOn = async (channel: ChannelName) => {
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel, externalId: `${channel}-person-${++people}` } });
    const rows = await db.prisma.$transaction((tx) =>
      notifier.write(tx, { chatAccountId: account.id, key: 'tickets.notice.rate', vars: { number: 'MQ-2026-00007' }, commands: [{ labelKey: 'tickets.notice.rate_button', command: '/rate MQ-2026-00007' }] }),
    );
    const stored = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: rows[0]!.id } });
    return { account, message: stored.payload as unknown as OutboundMessage };
  };

  it('carries the button on Telegram and the web chat, signed for that account', async () => {
    for (const channel of ['telegram', 'web'] as const) {
      const { account, message } = await noticeOn(channel);
      expect(message.text).toContain('回复“评价 MQ-2026-00007”');
      expect(message.choices).toHaveLength(1);
      expect(message.choices![0]!.label).toBe('⭐ 评价');
      expect(await buttons.commandOf(message.choices![0]!.data, account.id)).toBe('/rate MQ-2026-00007');
    }
  });

  it('carries none on WeChat, where the text says what to type and numbers the button, kept to be pressed by its number', async () => {
    const { account, message } = await noticeOn('wechat');
    expect(message.choices).toBeUndefined();
    expect(message.text).toContain('回复“评价 MQ-2026-00007”');
    expect(message.text).toMatch(/\n\n1\. ⭐ 评价\n\n请回复数字1–1选择/);
    const kept = await db.prisma.numberedActions.findUniqueOrThrow({ where: { chatAccountId: account.id } });
    expect(kept.chatId).toBe(account.externalId);
    const [action] = kept.actions as { label: string; data: string }[];
    expect(action!.label).toBe('⭐ 评价');
    expect(await buttons.commandOf(action!.data, account.id)).toBe('/rate MQ-2026-00007');
    expect(await buttons.commandOf(action!.data, 'someone-else')).toEqual({ prefix: 'k', refused: 'not_yours' });

    // The next such notice replaces the list.
    await db.prisma.$transaction((tx) =>
      notifier.write(tx, { chatAccountId: account.id, key: 'tickets.notice.rate', vars: { number: 'MQ-2026-00008' }, commands: [{ labelKey: 'tickets.notice.rate_button', command: '/rate MQ-2026-00008' }] }),
    );
    const replaced = await db.prisma.numberedActions.findUniqueOrThrow({ where: { chatAccountId: account.id } });
    expect(await buttons.commandOf((replaced.actions as { data: string }[])[0]!.data, account.id)).toBe('/rate MQ-2026-00008');
  });

  it('written many at once (a reminder to everyone), each account gets its own notice in order, WeChat ones kept by number, the later of two to one account kept', async () => {
    const accounts: { id: string; externalId: string }[] = [];
    for (const channel of ['telegram', 'wechat', 'web', 'wechat'] as const) {
      accounts.push(await db.prisma.chatAccount.create({ data: { communityId, channel, externalId: `${channel}-many-${++people}` } }));
    }
    const rate = (chatAccountId: string, n: string) => ({
      chatAccountId,
      key: 'tickets.notice.rate',
      vars: { number: `MQ-2026-${n}` },
      commands: [{ labelKey: 'tickets.notice.rate_button', command: `/rate MQ-2026-${n}` }],
    });
    const notices = [...accounts.map((account, i) => rate(account.id, `0010${i}`)), rate('an-account-gone', '00199'), rate(accounts[1]!.id, '00110')];
    const rows = await db.prisma.$transaction((tx) => notifier.writeMany(tx, notices));
    expect(rows).toHaveLength(5);
    const stored = await db.prisma.outboxMessage.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: { seq: 'asc' } });
    expect(stored.map((row) => row.chatId)).toEqual([...accounts.map((account) => account.externalId), accounts[1]!.externalId]);
    expect(stored.map((row) => (row.payload as unknown as OutboundMessage).text.match(/MQ-2026-\d+/)![0])).toEqual(['MQ-2026-00100', 'MQ-2026-00101', 'MQ-2026-00102', 'MQ-2026-00103', 'MQ-2026-00110']);
    const telegram = stored[0]!.payload as unknown as OutboundMessage;
    expect(await buttons.commandOf(telegram.choices![0]!.data, accounts[0]!.id)).toBe('/rate MQ-2026-00100');
    const keptBy = async (i: number) => {
      const kept = await db.prisma.numberedActions.findUnique({ where: { chatAccountId: accounts[i]!.id } });
      return kept && { chatId: kept.chatId, command: await buttons.commandOf((kept.actions as { data: string }[])[0]!.data, accounts[i]!.id) };
    };
    expect(await keptBy(1)).toEqual({ chatId: accounts[1]!.externalId, command: '/rate MQ-2026-00110' });
    expect(await keptBy(3)).toEqual({ chatId: accounts[3]!.externalId, command: '/rate MQ-2026-00103' });
    expect(await keptBy(0)).toBeNull();
    expect(await keptBy(2)).toBeNull();
  });

  it('keeps nothing to number on Telegram and the web chat, where the buttons are shown', async () => {
    const { account } = await noticeOn('telegram');
    expect(await db.prisma.numberedActions.findUnique({ where: { chatAccountId: account.id } })).toBeNull();
  });
});
