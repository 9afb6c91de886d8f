import { describe, expect, it } from 'vitest';
import { ButtonSigner } from '../../src/security/button-signing.js';
import { checkChoiceButton, choiceButtonData } from '../../src/conversation/render.js';

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

  it('accepts a button only for the run and step the person is at now', () => {
    const data = choiceButtonData(signer, 'run-1', 'ask', 'yes');
    expect(checkChoiceButton(signer, data, { runId: 'run-1', stepId: 'ask' })).toEqual({ ok: true, value: 'yes' });
    expect(checkChoiceButton(signer, data, { runId: 'run-2', stepId: 'ask' })).toEqual({ ok: false, reason: 'stale' });
    expect(checkChoiceButton(signer, data, { runId: 'run-1', stepId: 'other' })).toEqual({ ok: false, reason: 'stale' });
    expect(checkChoiceButton(signer, data, null)).toEqual({ ok: false, reason: 'stale' });
    expect(checkChoiceButton(signer, `${data}x`, { runId: 'run-1', stepId: 'ask' })).toEqual({ ok: false, reason: 'forged' });
  });
});
