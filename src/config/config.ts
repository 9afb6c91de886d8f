/**
 * Reads the environment once and validates it. Every setting is documented in `.env.example`.
 * A bad value stops start-up with one line naming the setting (see `ConfigError`).
 */
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
  COMMUNITY_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z.string().refine(isValidTimeZone, 'is not an IANA time zone (e.g. Asia/Shanghai)').default('Asia/Shanghai'),
  ),
  DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.enum(['zh-CN', 'en']).default('zh-CN')),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(logLevels).default('info')),
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
  /** Whether this process runs queue workers (a web-only process sets false). */
  RUN_WORKERS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
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
  return config;
}
