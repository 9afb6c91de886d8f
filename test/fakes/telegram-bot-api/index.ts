/** The fake Telegram Bot API: see fake-bot-api.ts. */
export { FakeTelegramBotApi, FAKE_BOT_TOKEN, type FakeBotApiOptions } from './fake-bot-api.js';
export { TELEGRAM_DEFAULT_LIMITS, type RateLimit, type TelegramRateLimits } from './rate-limits.js';
export type { FaultRule, FaultAction } from './faults.js';
export type { RateRefusal } from './bot-methods.js';
export type { SentMessage, InlineButton } from './sent-log.js';
export type { FakeUser, FakeChat, FakeMessage } from './world.js';
export type { ChatRef, MediaKind, PhotoOptions, SayOptions } from './user-actions.js';
export { fakeJpeg, notAnImage } from './sample-files.js';
export { attributeReplies, type AnsweredUpdate, type ReplyAttribution } from './reply-timing.js';
export type { HandOut } from './update-feed.js';
