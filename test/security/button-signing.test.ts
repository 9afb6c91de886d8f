import { describe, expect, it } from 'vitest';
import { ButtonSigner } from '../../src/security/button-signing.js';
import { tokenMeans } from '../../src/conversation/choice-value-token.js';
import { checkChoiceButton, choiceButtonData, renderMessages } from '../../src/conversation/render.js';
import type { Translator } from '../../src/i18n/translator.js';

const signer = new ButtonSigner('a-test-secret-that-is-long-enough-000');

describe('button signing', () => {
  it('returns the fields of genuine data', () => {
    expect(signer.verify(signer.sign(['c', 'run', 'step', 'zh-CN']))).toEqual(['c', 'run', 'step', 'zh-CN']);
  });

  it('refuses altered, truncated, re-signed and malformed data', () => {
    const data = signer.sign(['c', 'run', 'step', 'yes']);
    expect(signer.verify(data.replace('yes', 'no!'))).toBeNull();
    expect(signer.verify(data.slice(0, -1))).toBeNull();
    expect(new ButtonSigner('another-secret-that-is-long-enough-111').verify(data)).toBeNull();
    for (const junk of ['', '|', 'abc', '||||', 'c|run|step|yes|', '\u0000|x']) expect(signer.verify(junk)).toBeNull();
  });

  it('keeps choice button data within Telegram’s 64 bytes for the longest allowed value', () => {
    const data = choiceButtonData(signer, 'c5d0f7e2-8b1a-4c3d-9e8f-123456789abc', 'a_rather_long_step_name_here', 'v'.repeat(32));
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
  });

  it('a record id of any real length (a 36-character UUID, a 128-character key) fits and comes back as itself', () => {
    const ids = ['3f2b8c1e-9a7d-4e5f-8b6a-0c1d2e3f4a5b', 'k'.repeat(128), 'x'.repeat(33)];
    for (const id of ids) {
      const data = choiceButtonData(signer, 'c5d0f7e2-8b1a-4c3d-9e8f-123456789abc', 'a_rather_long_step_name_here', id);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      const check = checkChoiceButton(signer, data, { runId: 'c5d0f7e2-8b1a-4c3d-9e8f-123456789abc', stepId: 'a_rather_long_step_name_here' });
      expect(check.ok).toBe(true);
      if (!check.ok) continue;
      expect(tokenMeans(check.value, id)).toBe(true);
      expect(ids.filter((other) => tokenMeans(check.value, other))).toEqual([id]);
    }
  });

  it('rendered choices with long values become buttons within 64 bytes', () => {
    const translator = { t: (_locale: string, key: string) => key } as unknown as Translator;
    const [message] = renderMessages(
      [{ key: 'pick', choices: [{ label: '张三', value: '3f2b8c1e-9a7d-4e5f-8b6a-0c1d2e3f4a5b' }, { labelKey: 'other', value: 'not_listed' }] }],
      { translator, locale: 'zh-CN', capabilities: { buttons: true, photos: true, locations: true, maxTextLength: 4096 }, signer, vars: {}, at: { runId: 'run-1', stepId: 'pick_member' } },
    );
    expect(message!.choices).toHaveLength(2);
    for (const choice of message!.choices!) expect(Buffer.byteLength(choice.data)).toBeLessThanOrEqual(64);
  });

  it('accepts a button only for the run and step the person is at now', () => {
    const data = choiceButtonData(signer, 'run-1', 'ask', 'yes');
    expect(checkChoiceButton(signer, data, { runId: 'run-1', stepId: 'ask' })).toEqual({ ok: true, value: 'yes' });
    expect(checkChoiceButton(signer, data, { runId: 'run-2', stepId: 'ask' })).toEqual({ ok: false, reason: 'stale' });
    expect(checkChoiceButton(signer, data, { runId: 'run-1', stepId: 'other' })).toEqual({ ok: false, reason: 'stale' });
    expect(checkChoiceButton(signer, data, null)).toEqual({ ok: false, reason: 'stale' });
    expect(checkChoiceButton(signer, `${data}x`, { runId: 'run-1', stepId: 'ask' })).toEqual({ ok: false, reason: 'forged' });
  });
});
