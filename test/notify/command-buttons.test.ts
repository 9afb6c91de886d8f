/**
 * Command buttons under notices ("评价" under a rating question): they run the command for the
 * account they were sent to, and for nobody else; altered data is refused; data that would not
 * fit Telegram's 64 bytes is not made at all. A notice carries them on channels with buttons,
 * and only there (WeChat gets the words to type instead). Real database for the notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AccountNotifier } from '../../src/notify/account-notifier.js';
import { commandButtonData, readCommandButton } from '../../src/notify/command-buttons.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { ButtonSigner } from '../../src/security/button-signing.js';
import type { ChannelName, OutboundMessage } from '../../src/channels/types.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';

const signer = new ButtonSigner('a-test-secret-of-enough-length-0123456789');
const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));

describe('command buttons', () => {
  it('run the command for the account they were made for, and refuse anyone else or altered data', () => {
    const data = commandButtonData(signer, 'account-1', '/rate MQ-2026-00123')!;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(readCommandButton(signer, data, 'account-1')).toEqual({ kind: 'command', command: '/rate MQ-2026-00123' });
    expect(readCommandButton(signer, data, 'account-2')).toEqual({ kind: 'refused' });
    expect(readCommandButton(signer, data.replace('00123', '00124'), 'account-1')).toEqual({ kind: 'refused' });
    expect(readCommandButton(new ButtonSigner('another-secret-entirely-0123456789abcdef'), data, 'account-1')).toEqual({ kind: 'refused' });
  });

  it('leave other button data to whoever owns it', () => {
    expect(readCommandButton(signer, 'c|abc|value|tag', 'account-1')).toEqual({ kind: 'other' });
    expect(readCommandButton(signer, '', 'account-1')).toEqual({ kind: 'other' });
  });

  it('that would not fit a Telegram button are an error, never a notice quietly without its button', () => {
    expect(() => commandButtonData(signer, 'account-1', `/rate ${'长'.repeat(20)}`)).toThrow(/exceeds 64/);
    expect(() => commandButtonData(signer, 'account-1', '/rate a|b')).toThrow(/"\|"/);
  });
});

describe.each(databaseTargets())('a notice with a command button on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  const notifier = new AccountNotifier({ translator, signer, hasButtons: (channel) => channel !== 'wechat' });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma, { name: '团结路社区' })).id;
  });
  afterAll(() => db?.close());

  const noticeOn = async (channel: ChannelName) => {
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel, externalId: `${channel}-person` } });
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
      expect(readCommandButton(signer, message.choices![0]!.data, account.id)).toEqual({ kind: 'command', command: '/rate MQ-2026-00007' });
    }
  });

  it('carries none on WeChat, where the text says what to type', async () => {
    const { message } = await noticeOn('wechat');
    expect(message.choices).toBeUndefined();
    expect(message.text).toContain('回复“评价 MQ-2026-00007”');
  });
});
