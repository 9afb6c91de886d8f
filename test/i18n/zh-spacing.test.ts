/**
 * One convention for numbers in Chinese texts: no space between a Chinese character (or Chinese
 * punctuation) and a number, written or filled in — "1天内", "第3行", "共{{count}}件",
 * "6月2日12:00". English keeps its spaces ("1 day"). What a person types is left as they must type
 * it: text in “…” and command examples ("/approve 17 户号", "#123 今晚电工上门") keep their spaces.
 */
import { format } from 'date-fns';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTranslator } from '../../src/i18n/translator.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));
const ZH = 'zh-CN';

const CHINESE = String.raw`[\p{Script=Han}\u3000-\u303f\uff00-\uffef]`;
const NUMBER = String.raw`(?:\d|\{\{[\w.]+\}\})`;
const CHINESE_SPACE_NUMBER = new RegExp(`${CHINESE} (?=${NUMBER})`, 'u');
const NUMBER_SPACE_CHINESE = new RegExp(`${NUMBER} (?=${CHINESE})`, 'u');
/** What the person types: quoted words, and commands from "/" or "#" to the end of the clause. */
const TYPED = /“[^”]*”|(?<![A-Za-z0-9_])[/#][A-Za-z0-9_{][^。｜，；（）\n]*/g;

/** The places in a text where a space stands between Chinese and a number. */
function spacedNumbers(text: string): string[] {
  const prose = text.replace(TYPED, '“”');
  return [CHINESE_SPACE_NUMBER, NUMBER_SPACE_CHINESE].flatMap((rule) => {
    const found = new RegExp(rule.source, 'gu');
    return [...prose.matchAll(found)].map((m) => prose.slice(Math.max(0, m.index - 6), m.index + 10));
  });
}

describe('numbers in Chinese texts', () => {
  it('stand next to Chinese with no space, in every zh-CN text', () => {
    const spaced = translator
      .keys(ZH)
      .map((key) => ({ key, at: spacedNumbers(translator.t(ZH, key)) }))
      .filter(({ at }) => at.length > 0);
    expect(spaced).toEqual([]);
  });

  it('the rule sees a spaced number, and leaves what is typed alone', () => {
    expect(spacedNumbers('社区会在1 天内给您答复')).toEqual(['社区会在1 天内给您答复']);
    expect(spacedNumbers('请输入 {{min}} 到 {{max}}')).toHaveLength(3);
    expect(spacedNumbers('发送“工单 {{number}}”，或 /approve {{number}} 户号。')).toEqual([]);
  });

  it('stay unspaced once filled in: a deadline reads "1天内（最晚6月2日12:00）"', () => {
    const due = format(new Date(2026, 5, 2, 12, 0), translator.t(ZH, 'tickets.format.date_time'));
    const within = translator.t(ZH, 'tickets.duration.d', { count: 1 });
    expect(translator.t(ZH, 'tickets.expect.first_response', { within, due })).toBe('1天内（最晚6月2日12:00）');
    expect(translator.t(ZH, 'tickets.duration.business_h', { count: 4 })).toBe('4个工作小时');
  });

  it('English keeps a space between a number and its word', () => {
    expect(translator.t('en', 'tickets.duration.d', { count: 1 })).toMatch(/^1 \w/);
    expect(translator.t('en', 'tickets.duration.h', { count: 4 })).toMatch(/^4 \w/);
  });
});
