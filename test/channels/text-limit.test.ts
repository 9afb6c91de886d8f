/**
 * A channel's text limit comes from what it declares; a channel this process does not have (its
 * rows are sent by another process) gets the limit that is safe on every channel Linli speaks on.
 */
import { describe, expect, it } from 'vitest';
import { SAFE_TEXT_LIMIT, textLimitFrom } from '../../src/channels/text-limit.js';
import { WECHAT_MAX_TEXT_LENGTH } from '../../src/channels/wechat/wechat-channel.js';

describe('textLimitFrom', () => {
  it('is the limit the channel declares', () => {
    expect(textLimitFrom({ buttons: true, photos: true, locations: true, maxTextLength: 4096 })).toBe(4096);
  });

  it('is the safe limit for a channel not known here', () => {
    expect(textLimitFrom(undefined)).toBe(SAFE_TEXT_LIMIT);
  });

  it('the safe limit fits WeChat, the channel with the smallest', () => {
    expect(SAFE_TEXT_LIMIT).toBeLessThanOrEqual(WECHAT_MAX_TEXT_LENGTH);
  });
});
