/** Which language the command line speaks: LINLI_LOCALE, then the POSIX settings, else the community's default. */
import { describe, expect, it } from 'vitest';
import { operatorLocale } from '../../src/cli/linli-locale.js';
import { loadTranslator } from '../../src/i18n/translator.js';

const translator = loadTranslator(new URL('../../locales', import.meta.url).pathname);
const pick = (env: Record<string, string>, fallback = 'zh-CN') => operatorLocale(env, translator, fallback);

describe('operator locale', () => {
  it.each([
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'en_GB' }, 'en'],
    [{ LANG: 'zh_CN.GB18030' }, 'zh-CN'],
    [{ LANG: 'zh_TW.UTF-8' }, 'zh-CN'],
    [{ LINLI_LOCALE: 'en', LANG: 'zh_CN.UTF-8' }, 'en'],
    [{ LINLI_LOCALE: 'zh-CN', LC_ALL: 'en_US.UTF-8' }, 'zh-CN'],
    [{ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en'],
    [{ LC_MESSAGES: 'en_US.UTF-8@euro', LANG: 'zh_CN.UTF-8' }, 'en'],
  ])('%j → %s', (env, expected) => expect(pick(env)).toBe(expected));

  it('falls back to the community default for C, POSIX, an unknown language or nothing at all', () => {
    expect(pick({ LANG: 'C.UTF-8' }, 'en')).toBe('en');
    expect(pick({ LANG: 'POSIX' })).toBe('zh-CN');
    expect(pick({ LINLI_LOCALE: 'fr', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(pick({})).toBe('zh-CN');
    expect(pick({ LANG: '  ' }, 'en')).toBe('en');
  });
});
