/**
 * A file sent with an account notice (a meeting's .ics): on a channel that carries files it
 * rides on the message and the text points at it; on one that does not — or over what the
 * channel takes — the message is text alone, and the text gives the link. Real database.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCapabilities, OutboundMessage } from '../../src/channels/types.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { AccountNotifier } from '../../src/notify/account-notifier.js';
import { BUTTONLESS, TELEGRAM_LIKE } from '../support/buttons.js';
import { seedCommunity } from '../support/community.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));
const CAPABILITIES: Record<string, ChannelCapabilities> = {
  kite: { ...TELEGRAM_LIKE, documents: true, maxDocumentBytes: 1000 },
  paper: BUTTONLESS,
};
const ICS = { ref: 'files/0123456789abcdef0123456789abcdef.ics', name: 'HY-2026-00001.ics' };
const LINK = 'https://linli.example.org/calendar/meeting/m1/sig.ics';

describe.each(databaseTargets())('a notice with a file on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  const notifier = new AccountNotifier({ translator, capabilitiesOf: (channel) => CAPABILITIES[channel] });

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma, { name: '团结路社区' })).id;
  });
  afterAll(() => db?.close());

  let people = 0;
  const noticeOn = async (channel: string, bytes: number): Promise<OutboundMessage[]> => {
    const account = await db.prisma.chatAccount.create({ data: { communityId, channel, externalId: `${channel}-${++people}` } });
    const rows = await db.prisma.$transaction((tx) =>
      notifier.write(tx, {
        chatAccountId: account.id,
        key: 'meetings.invite.changed',
        vars: { title: '居民会议', number: 'HY-2026-00001', when: '5月6日 19:00', place: '活动室', answer: '参加', ics: LINK },
        document: { ...ICS, bytes, carriedVars: { ics: translator.t('zh-CN', 'meetings.invite.ics_attached', { name: ICS.name }) } },
      }),
    );
    const stored = await db.prisma.outboxMessage.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: { seq: 'asc' } });
    return stored.map((row) => row.payload as unknown as OutboundMessage);
  };

  it('carries the file where the channel does, its text pointing at the file', async () => {
    const [message, ...rest] = await noticeOn('kite', 400);
    expect(rest).toEqual([]);
    expect(message!.document).toEqual(ICS);
    expect(message!.text).toContain('见所附日历文件「HY-2026-00001.ics」');
    expect(message!.text).not.toContain(LINK);
  });

  it('gives the link where the channel carries no files, or not one this large', async () => {
    for (const [channel, bytes] of [['paper', 400], ['kite', 1001]] as const) {
      const messages = await noticeOn(channel, bytes);
      expect(messages.every((m) => m.document === undefined), channel).toBe(true);
      expect(messages.map((m) => m.text).join('\n')).toContain(LINK);
    }
  });
});
