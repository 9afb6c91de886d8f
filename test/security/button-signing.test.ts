/**
 * Button data is signed: genuine data reads back as its fields; altered, truncated, re-signed or
 * malformed data reads back as nothing. (What each kind of button does with its fields is in the
 * button registry's tests and each kind's own.)
 */
import { describe, expect, it } from 'vitest';
import { ButtonSigner } from '../../src/security/button-signing.js';

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
});
