import { describe, expect, it } from 'vitest';
import { escapeXml, textElement, xmlDocument } from '../../../../src/features/tickets/open311/xml.js';
import { readXml } from './xml-reader.js';

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    expect(escapeXml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
  });

  it('escapes an already escaped text again (no double meaning)', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('drops characters XML 1.0 forbids and keeps every other character', () => {
    expect(escapeXml('a\u0000b\u0007c\u001Fd\uFFFEe\uFFFF')).toBe('abcde');
    expect(escapeXml('x\uD800y')).toBe('xy');
    expect(escapeXml('tab\tnl\ncr\r')).toBe('tab\tnl\ncr\r');
    expect(escapeXml('路灯坏了😀')).toBe('路灯坏了😀');
  });
});

describe('xmlDocument', () => {
  it('writes a declaration, nested elements and empty elements for nothing', () => {
    const doc = xmlDocument({ name: 'root', children: [textElement('a', 'x<y'), textElement('b', null), textElement('c', 0), textElement('d', false), textElement('e', '')] });
    expect(doc).toBe('<?xml version="1.0" encoding="utf-8"?>\n<root><a>x&lt;y</a><b/><c>0</c><d>false</d><e/></root>\n');
    expect(readXml(doc).children.map((c) => [c.name, c.text])).toEqual([['a', 'x<y'], ['b', ''], ['c', '0'], ['d', 'false'], ['e', '']]);
  });

  it('a hostile text cannot break out of its element', () => {
    const doc = xmlDocument({ name: 'root', children: [textElement('a', '</a><injected>1</injected><a>')] });
    const root = readXml(doc);
    expect(root.children).toHaveLength(1);
    expect(root.children[0]!.text).toBe('</a><injected>1</injected><a>');
  });
});
