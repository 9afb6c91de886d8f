/**
 * A small XML writer for Open311: elements with text or child elements, no attributes (GeoReport
 * v2 uses none). Text is escaped, and characters XML 1.0 forbids (control characters, lone
 * surrogates, U+FFFE/U+FFFF) are dropped — a resident's description can contain anything.
 */

export type XmlNode = { name: string; text: string | null } | { name: string; children: XmlNode[] };

const INVALID_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an element body or attribute value. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An element with text; null or undefined gives an empty element, as GeoReport examples show. */
export function textElement(name: string, value: string | number | boolean | null | undefined): XmlNode {
  return { name, text: value === null || value === undefined ? null : String(value) };
}

/** A whole document with the UTF-8 declaration the spec requires. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${render(root)}\n`;
}

function render(node: XmlNode): string {
  if ('children' in node) return `<${node.name}>${node.children.map(render).join('')}</${node.name}>`;
  return node.text === null || node.text === '' ? `<${node.name}/>` : `<${node.name}>${escapeXml(node.text)}</${node.name}>`;
}
