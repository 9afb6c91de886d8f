import { describe, expect, it } from 'vitest';
import { noticeAnswerButton, noticeAnswerItems } from '../../../../src/features/notices/answers/answer-button.js';
import { join } from 'node:path';
import { loadTranslator } from '../../../../src/i18n/translator.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', '..', 'locales'));

describe('a notice’s answer buttons', () => {
  it('read back what they wrote, and nothing of another shape', () => {
    const fields = { noticeId: 'cm4notice000000000000000', answer: 'help' as const };
    expect(noticeAnswerButton.read(noticeAnswerButton.write(fields))).toEqual(fields);
    expect(noticeAnswerButton.read(['cm4notice000000000000000', 'maybe'])).toBeNull();
    expect(noticeAnswerButton.read(['', 'ok'])).toBeNull();
    expect(noticeAnswerButton.read(['cm4notice000000000000000', 'ok', 'extra'])).toBeNull();
  });

  it('are 收到/平安 and 需要帮助 on an alert, 收到 on a notice that asks for it, none otherwise', () => {
    const labels = (kind: string, asksConfirmation: boolean) => noticeAnswerItems({ id: 'n1', kind, asksConfirmation }, translator, 'zh-CN').map((item) => item.label);
    expect(labels('alert', false)).toEqual(['✅收到/平安', '🆘需要帮助']);
    expect(labels('notice', true)).toEqual(['✅收到']);
    expect(labels('notice', false)).toEqual([]);
    expect(noticeAnswerItems({ id: 'n1', kind: 'alert', asksConfirmation: false }, translator, 'en').map((item) => item.label)).toEqual(['✅ Received / safe', '🆘 I need help']);
  });
});
