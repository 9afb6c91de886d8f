/**
 * Reads the environment once and validates it. Every setting is documented in `.env.example`.
 * A bad value stops start-up with one line naming the setting (see `ConfigError`).
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const postgresUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgresql:// URL')
    .optional(),
);

const redisUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((v) => /^rediss?:\/\/.+/.test(v), 'must be a redis:// or rediss:// URL')
    .optional(),
);

function booleanSetting(fallback: 'true' | 'false') {
  return z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default(fallback)
      .transform((v) => v === 'true'),
  );
}

function positiveNumber(unit: string, fallback: number) {
  return z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: `must be a number of ${unit} above 0` }).positive(`must be a number of ${unit} above 0`).default(fallback),
  );
}

/** A limit counted per client address: a whole number of at least 1. */
const perAddressLimit = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a whole number above 0' }).int('must be a whole number above 0').positive('must be a whole number above 0').default(fallback),
  );

/** proxy-addr's names for address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Which proxies in front of us to believe about the client's address (X-Forwarded-For) and
 * protocol: unset or `false` believes none (the connection's address counts); a number believes
 * that many hops; otherwise a comma-separated list of addresses, CIDR ranges or the names
 * loopback, linklocal, uniquelocal. Never "everyone": anyone could then pick their own address
 * and slip past the per-address limits.
 */
const trustProxy = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default('false')
    .transform((value, ctx): false | number | string[] => {
      const problem = 'must be false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges';
      const text = value.trim();
      if (text === 'false') return false;
      if (/^\d{1,2}$/.test(text) && Number(text) > 0) return Number(text);
      const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      const valid = entries.length > 0 && entries.every((entry) => {
        if (PROXY_RANGE_NAMES.includes(entry)) return true;
        const [address, bits, extra] = entry.split('/');
        if (extra !== undefined || !address || isIP(address) === 0) return false;
        return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
      });
      if (!valid) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return entries;
    }),
);

const positiveMinutes = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a positive number of minutes' }).positive('must be a positive number of minutes').default(fallback),
  );

export const configSchema = z.object({
  DATABASE_URL: postgresUrl,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  REDIS_URL: redisUrl,
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a whole number from 0 to 65535' })
      .int('must be a whole number from 0 to 65535')
      .min(0, 'must be a whole number from 0 to 65535')
      .max(65535, 'must be a whole number from 0 to 65535')
      .default(3000),
  ),
  /** Where people reach this server from outside (calendar feed addresses, .ics links); unset: paths only. */
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ error: 'must be an http(s) URL' }).optional()),
  COMMUNITY_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z.string().refine(isValidTimeZone, 'is not an IANA time zone (e.g. Asia/Shanghai)').default('Asia/Shanghai'),
  ),
  DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.enum(['zh-CN', 'en']).default('zh-CN')),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(logLevels).default('info')),
  TRUST_PROXY: trustProxy,
  /** Signs button data and cookies. Required with DATABASE_URL; the embedded default keeps one in DATA_DIR. */
  LINLI_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
  COMMUNITY_NAME: optionalString,
  COMMUNITY_SLUG: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9-]+$/, 'may hold only lowercase letters, digits and hyphens')
      .default('default'),
  ),
  COMMUNITY_OFFICE_PHONE: optionalString,
  /** A conversation idle this long gets a reminder… */
  IDLE_REMINDER_MINUTES: positiveMinutes(10),
  /** …and is closed this long after the reminder. */
  IDLE_CLOSE_MINUTES: positiveMinutes(20),
  /** Messages one person may send in FLOOD_WINDOW_SECONDS before being asked to slow down. */
  FLOOD_MAX_MESSAGES: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a whole number above 0' }).int('must be a whole number above 0').positive('must be a whole number above 0').default(20),
  ),
  FLOOD_WINDOW_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a number of seconds above 0' }).positive('must be a number of seconds above 0').default(10),
  ),
  /**
   * How long a process's claim on an inbound message lasts unless renewed (every third of it):
   * a message whose process died is taken up again by its re-delivery or the sweep after at most
   * this long.
   */
  INBOUND_CLAIM_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a number of seconds above 0' }).positive('must be a number of seconds above 0').default(20),
  ),
  /**
   * Messages each channel's delivery worker has in hand at once: sending, or waiting at the
   * account's gate for their slot. Enough to keep the account's budget busy while each send
   * waits for the platform and the database (measured in bench/delivery.ts: on the database
   * queue backend at 300/s, 10 reached 0.89 of the budget and 20 reached 0.94); an account whose
   * rate needs more gets more (`jobsInHand`: the rate × 200 ms, 100 at most — bench/notice.ts
   * at 300/s on a busy machine: 20, claimed one by one, reached 0.53–0.63; 60, claims batched,
   * 0.93–0.96). Only messages already
   * claimed (their slot begun) may go twice after a crash. Replies sent
   * straight from the process that wrote them go as many chats at once, more where the account's
   * rate can use them (`direct-line.ts`: up to 64 on a raised rate), the next ones waiting in line.
   */
  DELIVERY_CONCURRENCY: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a whole number from 1 to 200' }).int('must be a whole number from 1 to 200').min(1, 'must be a whole number from 1 to 200').max(200, 'must be a whole number from 1 to 200').default(20),
  ),
  /**
   * Per client address (requests from one address — often a whole building behind one router or
   * a carrier's NAT — so generous): new web chat sessions, messages and photos a minute, and
   * event streams open at once. A flood is answered 429 with Retry-After; other addresses are
   * never held back.
   */
  WEB_CHAT_SESSIONS_PER_MINUTE: perAddressLimit(30),
  WEB_CHAT_MESSAGES_PER_MINUTE: perAddressLimit(120),
  WEB_CHAT_UPLOADS_PER_MINUTE: perAddressLimit(20),
  WEB_CHAT_STREAMS_PER_ADDRESS: perAddressLimit(20),
  /** A staff console session ends after this many minutes without use (a phone left in a pocket). */
  STAFF_SESSION_IDLE_MINUTES: positiveMinutes(480),
  /**
   * Photos one person may keep stored, in megabytes (all channels, all their tickets and chats).
   * A photo beyond it is refused with a polite answer; what was accepted stays.
   */
  PHOTO_QUOTA_MB: positiveNumber('megabytes', 100),
  /** Days a withdrawn ticket's photos are kept (the resident may change their mind), then deleted. */
  WITHDRAWN_PHOTO_RETENTION_DAYS: positiveNumber('days', 30),
  /** Whether this process runs queue workers (a web-only process sets false). */
  RUN_WORKERS: booleanSetting('true'),

  // --- Repairs: dispatch to the service team ---
  /** Minutes a service-team member has to accept or decline a job before it goes to the next member. */
  DISPATCH_OFFER_MINUTES: positiveMinutes(10),
  /** Minutes an emergency (gas, sparking, collapse), offered to every eligible member at once, waits for one to accept. */
  DISPATCH_EMERGENCY_OFFER_MINUTES: positiveMinutes(2),

  // --- Tickets: digests and open data ---
  /** Local hour (community time zone) of the daily staff digest; the weekly one goes on Mondays then. */
  DIGEST_HOUR: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a whole hour from 0 to 23' })
      .int('must be a whole hour from 0 to 23')
      .min(0, 'must be a whole hour from 0 to 23')
      .max(23, 'must be a whole hour from 0 to 23')
      .default(8),
  ),
  /** Keys that may file tickets through Open311 POST, comma-separated; none = POST refused. */
  OPEN311_API_KEYS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform((v) => v.split(',').map((k) => k.trim()).filter((k) => k !== ''))
      .refine((keys) => keys.every((k) => k.length >= 16), 'each key must be at least 16 characters'),
  ),

  /** Open311 POSTs one address may make a minute. */
  OPEN311_POSTS_PER_MINUTE: perAddressLimit(30),

  // --- Telegram (enabled by its token) ---
  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'does not look like a bot token from @BotFather (digits:letters)')
      .optional(),
  ),
  /** A self-hosted Bot API server, or a local fake in tests. */
  TELEGRAM_API_ROOT: z.preprocess(
    emptyToUndefined,
    z.url({ error: 'must be an http(s) URL' }).default('https://api.telegram.org'),
  ),
  /** Set: webhook mode (the public https URL Telegram posts to). Unset: long polling. */
  TELEGRAM_WEBHOOK_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ error: 'must be an http(s) URL' })
      .refine((v) => v.startsWith('https://') || v.startsWith('http://127.') || v.startsWith('http://localhost'), 'must be an https URL')
      .optional(),
  ),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 letters, digits, "_" or "-"')
      .optional(),
  ),
  /** Sending limits, from Telegram's published guidance. */
  TELEGRAM_MAX_PER_SECOND: positiveNumber('messages per second', 30),
  TELEGRAM_MAX_PER_CHAT_PER_SECOND: positiveNumber('messages per second', 1),
  TELEGRAM_MAX_PER_GROUP_PER_MINUTE: positiveNumber('messages per minute', 20),
  /** The staff inbox: a supergroup's id (negative, e.g. -1001234567890). Unset: bound with /setup_staff_chat. */
  TELEGRAM_STAFF_CHAT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^-\d{5,20}$/, 'must be a group id: a minus sign and digits (e.g. -1001234567890)')
      .optional(),
  ),

  // --- WeChat (enabled by naming a puppet) ---
  /** e.g. wechaty-puppet-wechat4u, or wechaty-puppet-service with WECHATY_PUPPET_SERVICE_TOKEN. */
  WECHATY_PUPPET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/, 'must name a wechaty puppet package (wechaty-puppet-…)')
      .optional(),
  ),
  WECHATY_PUPPET_SERVICE_TOKEN: optionalString,
  WECHAT_AUTO_ACCEPT_FRIENDS: booleanSetting('false'),
  /** A personal WeChat account is banned when it sends fast: one message per 1–3 s, with jitter. */
  WECHAT_MIN_SEND_INTERVAL_MS: positiveNumber('milliseconds', 1000),
  WECHAT_MAX_SEND_INTERVAL_MS: positiveNumber('milliseconds', 3000),
  /** The staff inbox on WeChat: the name of a room the bot's account is in. */
  WECHAT_STAFF_ROOM: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(100, 'must be at most 100 characters').optional()),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly setting: string, readonly problem: string) {
    super(`Configuration error: ${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Validates an environment; throws ConfigError for the first bad setting, with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const setting = String(issue.path[0] ?? 'environment');
    const problem = issue.code === 'invalid_value' ? `must be one of: ${(issue as { values: unknown[] }).values.join(', ')}` : issue.message;
    throw new ConfigError(setting, problem);
  }
  const config = parsed.data;
  if (config.DATABASE_URL && !config.LINLI_SECRET) {
    throw new ConfigError('LINLI_SECRET', 'must be set when DATABASE_URL is set (e.g. `openssl rand -hex 32`)');
  }
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'must be set when TELEGRAM_WEBHOOK_URL is set');
  }
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'must be set when TELEGRAM_WEBHOOK_URL is set (16–256 letters, digits, "_" or "-")');
  }
  if (config.WECHATY_PUPPET === 'wechaty-puppet-service' && !config.WECHATY_PUPPET_SERVICE_TOKEN) {
    throw new ConfigError('WECHATY_PUPPET_SERVICE_TOKEN', 'must be set when WECHATY_PUPPET is wechaty-puppet-service');
  }
  if (config.WECHAT_MAX_SEND_INTERVAL_MS < config.WECHAT_MIN_SEND_INTERVAL_MS) {
    throw new ConfigError('WECHAT_MAX_SEND_INTERVAL_MS', 'must not be below WECHAT_MIN_SEND_INTERVAL_MS');
  }
  return config;
}
