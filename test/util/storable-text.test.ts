import { describe, expect, it } from 'vitest';
import { isStorableText } from '../../src/util/storable-text.js';

describe('isStorableText', () => {
  it('accepts ordinary text, Chinese, emoji (surrogate pairs) and line breaks', () => {
    for (const text of ['', 'hello', '东门路灯坏了', '👍🏽 好的', 'a\tb\r\nc']) expect(isStorableText(text), text).toBe(true);
  });

  it('refuses a NUL character and lone surrogates anywhere in the text', () => {
    for (const text of ['a\u0000b', '\u0000', 'x\uD83D', '\uD83Dx', '\uDC4Dx', 'x\uDC4D', '\uDC4D\uD83D']) {
      expect(isStorableText(text), JSON.stringify(text)).toBe(false);
    }
  });
});
