/** OPEN311_API_KEYS and DIGEST_HOUR: defaults, parsing, and the one-line error for a bad value. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('Open311 and digest settings', () => {
  it('defaults to no API keys (POST refused) and an 08:00 digest', () => {
    const config = loadConfig({});
    expect(config.OPEN311_API_KEYS).toEqual([]);
    expect(config.DIGEST_HOUR).toBe(8);
  });

  it('reads a comma list of keys, ignoring blanks', () => {
    expect(loadConfig({ OPEN311_API_KEYS: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbbbbbb,' }).OPEN311_API_KEYS).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb']);
    expect(loadConfig({ OPEN311_API_KEYS: '' }).OPEN311_API_KEYS).toEqual([]);
  });

  it('refuses a short key and an hour outside 0–23, naming the setting', () => {
    expect(() => loadConfig({ OPEN311_API_KEYS: 'short' })).toThrow(new ConfigError('OPEN311_API_KEYS', 'each key must be at least 16 characters'));
    expect(loadConfig({ DIGEST_HOUR: '0' }).DIGEST_HOUR).toBe(0);
    expect(loadConfig({ DIGEST_HOUR: '23' }).DIGEST_HOUR).toBe(23);
    for (const bad of ['24', '-1', '7.5', 'eight']) expect(() => loadConfig({ DIGEST_HOUR: bad })).toThrow(/DIGEST_HOUR must be a whole hour from 0 to 23/);
  });
});
