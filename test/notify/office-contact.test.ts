/**
 * Texts that send a person to the community office name its phone only when the community has
 * set one: without it they say "请联系社区办公室", never a number that is not there (nor "call").
 */
import { describe, expect, it } from 'vitest';
import { officeContact } from '../../src/notify/office-contact.js';
import { testTranslator } from '../conversation/support/test-locales.js';

const translator = testTranslator();
const PHONE = '0991-1234567';
const textsNamingTheOffice = (locale: string) => translator.keys(locale).filter((key) => translator.t(locale, key).includes('{{office}}'));

describe('the office in texts', () => {
  it('is named with its phone when one is set, alone when none is', () => {
    expect(officeContact(translator, 'zh-CN', PHONE)).toBe('社区办公室（电话：0991-1234567）');
    expect(officeContact(translator, 'zh-CN', null)).toBe('社区办公室');
    expect(officeContact(translator, 'zh-CN', '  ')).toBe('社区办公室');
    expect(officeContact(translator, 'en', PHONE)).toBe('the community office (phone 0991-1234567)');
    expect(officeContact(translator, 'en', null)).toBe('the community office');
  });

  it.each(translator.locales)('%s: the not-built-yet and help texts, among others, name the office through {{office}}', (locale) => {
    const keys = textsNamingTheOffice(locale);
    for (const key of ['engine.help', 'engine.offer_human', 'flows.help.text', 'flows.repair.not_filed']) {
      expect(keys).toContain(key);
    }
    for (const key of keys) {
      expect(translator.t(locale, key, { office: officeContact(translator, locale, PHONE) }), key).toContain(PHONE);
      const without = translator.t(locale, key, { office: officeContact(translator, locale, null) });
      expect(without, key).not.toMatch(/公告栏）|notice board\)|电话：|\(phone/);
    }
  });

  it.each(translator.locales)('%s: no text asks to call the office (there may be no number to call)', (locale) => {
    const calling = translator.keys(locale).filter((key) => /致电|\bcall (the|us|at)\b/i.test(translator.t(locale, key)));
    expect(calling).toEqual([]);
  });
});
