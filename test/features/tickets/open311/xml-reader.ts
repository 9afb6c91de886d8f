/**
 * A strict reader for the XML subset Open311 uses (declaration, elements, text, the five
 * entities; no attributes, comments or CDATA). It throws on anything malformed, so a test that
 * reads a document back also proves it is well-formed.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Decoded text of a leaf element ("" when empty). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function readXml(document: string): XmlElement {
  const declaration = /^<\?xml version="1\.0" encoding="utf-8"\?>\n/;
  if (!declaration.test(document)) throw new Error('missing XML declaration');
  let pos = document.match(declaration)![0].length;

  function element(): XmlElement {
    const open = /^<([A-Za-z_][\w.-]*)(\/?)>/.exec(document.slice(pos));
    if (!open) throw new Error(`expected an element at ${pos}: ${document.slice(pos, pos + 30)}`);
    pos += open[0].length;
    const name = open[1]!;
    if (open[2] === '/') return { name, children: [], text: '' };
    const children: XmlElement[] = [];
    let text = '';
    while (!document.startsWith(`</${name}>`, pos)) {
      if (pos >= document.length) throw new Error(`unclosed <${name}>`);
      if (document.startsWith('</', pos)) throw new Error(`mismatched close tag at ${pos} inside <${name}>`);
      if (document[pos] === '<') {
        children.push(element());
        continue;
      }
      const end = document.indexOf('<', pos);
      const raw = document.slice(pos, end === -1 ? document.length : end);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(raw)) throw new Error(`bare & in text: ${raw}`);
      if (/>/.test(raw)) throw new Error(`bare > in text: ${raw}`);
      text += raw.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]!);
      pos += raw.length;
    }
    pos += `</${name}>`.length;
    if (children.length > 0 && text.trim() !== '') throw new Error(`mixed content in <${name}>`);
    return { name, children, text };
  }

  const root = element();
  if (document.slice(pos) !== '\n') throw new Error('content after the root element');
  return root;
}

/** A leaf-only element's children as name → text, keeping order. */
export function leaves(element: XmlElement): Array<[string, string]> {
  return element.children.map((c) => [c.name, c.text]);
}
