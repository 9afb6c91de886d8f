/**
 * The app with a Telegram forum as its staff chat (TELEGRAM_STAFF_CHAT_ID), serving, against the
 * fake Bot API, with the staff inbox's people seeded — the start of every forum inbox e2e test.
 */
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { FakeChat } from '../fakes/telegram-bot-api/world.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import type { DatabaseTarget } from '../support/database.js';
import { seedInboxPeople, type InboxPeople } from './support.js';

/** Telegram and WeChat paced for tests: a group may take many messages a minute. */
export const TEST_PACING = {
  TELEGRAM_MAX_PER_CHAT_PER_SECOND: '50',
  TELEGRAM_MAX_PER_SECOND: '600',
  TELEGRAM_MAX_PER_GROUP_PER_MINUTE: '3000',
  WECHAT_MIN_SEND_INTERVAL_MS: '5',
  WECHAT_MAX_SEND_INTERVAL_MS: '10',
};

export interface ForumInbox {
  telegram: FakeTelegramBotApi;
  forum: FakeChat;
  t: TestApp;
  people: InboxPeople;
}

export async function startForumInbox(target: DatabaseTarget, env: Record<string, string> = {}, options: Pick<TestAppOptions, 'clock'> = {}): Promise<ForumInbox> {
  const telegram = await FakeTelegramBotApi.start({ scale: 50 });
  const forum = telegram.createGroup({ title: '社区工作群', type: 'supergroup', isForum: true });
  const t = await startTestApp(
    target,
    { ...TEST_PACING, ...env, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_STAFF_CHAT_ID: String(forum.id) },
    undefined,
    { serve: true, ...options },
  );
  const people = await seedInboxPeople(t.app.database.prisma, t.app.communityId);
  return { telegram, forum, t, people };
}
