import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const secret = 'x'.repeat(32);

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('needs nothing for the embedded default', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config).toMatchObject({
      DATA_DIR: './data',
      HOST: '127.0.0.1',
      PORT: 3000,
      COMMUNITY_TIMEZONE: 'Asia/Shanghai',
      DEFAULT_LOCALE: 'zh-CN',
      LOG_LEVEL: 'info',
    });
  });

  it('treats empty settings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '3000.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x/y', LINLI_SECRET: secret }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ COMMUNITY_TIMEZONE: 'Mars/Olympus' }, 'COMMUNITY_TIMEZONE'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LINLI_SECRET: 'short' }, 'LINLI_SECRET'],
    [{ DATABASE_URL: 'postgresql://db/linli' }, 'LINLI_SECRET'],
    [{ COMMUNITY_SLUG: 'Not A Slug' }, 'COMMUNITY_SLUG'],
    [{ IDLE_REMINDER_MINUTES: '0' }, 'IDLE_REMINDER_MINUTES'],
    [{ RUN_WORKERS: 'yes' }, 'RUN_WORKERS'],
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_API_ROOT: 'api.telegram.org' }, 'TELEGRAM_API_ROOT'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(35)}`, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(35)}`, TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/t', TELEGRAM_WEBHOOK_SECRET: 's'.repeat(20) }, 'TELEGRAM_WEBHOOK_URL'],
    [{ TELEGRAM_MAX_PER_SECOND: '0' }, 'TELEGRAM_MAX_PER_SECOND'],
    [{ WECHATY_PUPPET: 'padlocal' }, 'WECHATY_PUPPET'],
    [{ WECHATY_PUPPET: 'wechaty-puppet-service' }, 'WECHATY_PUPPET_SERVICE_TOKEN'],
    [{ WECHAT_MIN_SEND_INTERVAL_MS: '2000', WECHAT_MAX_SEND_INTERVAL_MS: '1000' }, 'WECHAT_MAX_SEND_INTERVAL_MS'],
    [{ WEB_CHAT_SESSIONS_PER_MINUTE: '0' }, 'WEB_CHAT_SESSIONS_PER_MINUTE'],
    [{ WEB_CHAT_MESSAGES_PER_MINUTE: 'lots' }, 'WEB_CHAT_MESSAGES_PER_MINUTE'],
    [{ WEB_CHAT_UPLOADS_PER_MINUTE: '2.5' }, 'WEB_CHAT_UPLOADS_PER_MINUTE'],
    [{ WEB_CHAT_STREAMS_PER_ADDRESS: '-1' }, 'WEB_CHAT_STREAMS_PER_ADDRESS'],
    [{ OPEN311_POSTS_PER_MINUTE: '0' }, 'OPEN311_POSTS_PER_MINUTE'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'proxy.example.org' }, 'TRUST_PROXY'],
  ])('names the bad setting in one line: %o', (env, setting) => {
    const message = problem(env);
    expect(message.startsWith(`Configuration error: ${setting} `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('limits each client address with sensible defaults, and believes no proxy unless told', () => {
    expect(loadConfig({})).toMatchObject({
      TRUST_PROXY: false,
      WEB_CHAT_SESSIONS_PER_MINUTE: 30,
      WEB_CHAT_MESSAGES_PER_MINUTE: 120,
      WEB_CHAT_UPLOADS_PER_MINUTE: 20,
      WEB_CHAT_STREAMS_PER_ADDRESS: 20,
      OPEN311_POSTS_PER_MINUTE: 30,
    });
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,loopback' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'loopback']);
    expect(problem({ TRUST_PROXY: 'true' })).toBe(
      'Configuration error: TRUST_PROXY must be false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges',
    );
  });

  it('says in plain words what a number setting must be', () => {
    expect(problem({ PORT: 'abc' })).toBe('Configuration error: PORT must be a whole number from 0 to 65535');
    expect(problem({ FLOOD_MAX_MESSAGES: 'many' })).toBe('Configuration error: FLOOD_MAX_MESSAGES must be a whole number above 0');
    for (const bad of ['0', '201', '2.5', 'lots']) {
      expect(problem({ DELIVERY_CONCURRENCY: bad })).toBe('Configuration error: DELIVERY_CONCURRENCY must be a whole number from 1 to 200');
    }
  });

  it('says which values are allowed for a choice', () => {
    expect(problem({ DEFAULT_LOCALE: 'fr' })).toContain('zh-CN, en');
  });

  it('accepts Telegram in webhook mode and WeChat through a puppet service', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(35)}`,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
      TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-twenty-chars',
      WECHATY_PUPPET: 'wechaty-puppet-service',
      WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_token',
      WECHAT_AUTO_ACCEPT_FRIENDS: 'true',
    });
    expect(config.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(config.TELEGRAM_MAX_PER_CHAT_PER_SECOND).toBe(1);
    expect(config.WECHAT_AUTO_ACCEPT_FRIENDS).toBe(true);
  });

  it('accepts a production configuration', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://linli:pw@db:5432/linli',
      REDIS_URL: 'redis://cache:6379',
      LINLI_SECRET: secret,
      PORT: '8080',
      RUN_WORKERS: 'false',
    });
    expect(config.PORT).toBe(8080);
    expect(config.RUN_WORKERS).toBe(false);
  });
});
