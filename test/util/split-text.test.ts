import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/util/split-text.js';

const length = (s: string) => Array.from(s).length;

describe('splitText', () => {
  it('leaves text at the limit whole', () => {
    expect(splitText('好'.repeat(100), 100)).toEqual(['好'.repeat(100)]);
  });

  it('splits one over the limit, on a Chinese sentence end, losing no character', () => {
    const text = '今天停水。'.repeat(20) + '好';
    const pieces = splitText(text, 100);
    expect(pieces.length).toBe(2);
    expect(pieces.every((p) => length(p) <= 100)).toBe(true);
    expect(pieces[0]!.endsWith('。')).toBe(true);
    expect(pieces.join('')).toBe(text);
  });

  it('prefers paragraph breaks', () => {
    const first = 'a'.repeat(60);
    const pieces = splitText(`${first}\n\n${'b. '.repeat(30)}`, 100);
    expect(pieces[0]).toBe(first);
  });

  it('never cuts an emoji in half and hard-cuts text without any break', () => {
    const pieces = splitText('😀'.repeat(150), 100);
    expect(pieces.map(length)).toEqual([100, 50]);
    expect(splitText('x'.repeat(4097), 4096).map(length)).toEqual([4096, 1]);
  });
});
