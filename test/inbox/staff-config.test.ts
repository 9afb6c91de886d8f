/**
 * The staff inbox's settings: both optional; a Telegram staff chat id must look like a group's.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('staff inbox settings', () => {
  it('are optional, and empty means unset', () => {
    const config = loadConfig({ TELEGRAM_STAFF_CHAT_ID: '', WECHAT_STAFF_ROOM: '' });
    expect(config.TELEGRAM_STAFF_CHAT_ID).toBeUndefined();
    expect(config.WECHAT_STAFF_ROOM).toBeUndefined();
  });

  it('take a group id and a room name', () => {
    const config = loadConfig({ TELEGRAM_STAFF_CHAT_ID: ' -1001234567890 ', WECHAT_STAFF_ROOM: ' 团结社区工作群 ' });
    expect(config.TELEGRAM_STAFF_CHAT_ID).toBe('-1001234567890');
    expect(config.WECHAT_STAFF_ROOM).toBe('团结社区工作群');
  });

  it('refuse a person’s id, a username or text as the Telegram staff chat, naming the setting', () => {
    for (const value of ['123456789', '@staffgroup', 'staff', '-12']) {
      expect(() => loadConfig({ TELEGRAM_STAFF_CHAT_ID: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TELEGRAM_STAFF_CHAT_ID: value })).toThrow(/TELEGRAM_STAFF_CHAT_ID must be a group id/);
    }
  });

  it('refuse a room name longer than WeChat allows', () => {
    expect(() => loadConfig({ WECHAT_STAFF_ROOM: '群'.repeat(101) })).toThrow(/WECHAT_STAFF_ROOM/);
  });
});
