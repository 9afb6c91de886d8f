/**
 * Reads back what a PDF made by the project says, without any PDF tool installed: the objects,
 * their (inflated) streams, each page's text decoded through its fonts' ToUnicode maps (glyph
 * codes are only numbers; the map is what a reader's copy and search use), and the embedded
 * fonts' names. Enough for the documents the project writes (pdfkit: Identity-H fonts, hex
 * strings in TJ arrays), not a general PDF parser.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

export interface PdfReading {
  header: string;
  /** The pages in document order, each as its text runs joined by new lines. */
  pages: string[];
  /** BaseFont names of the embedded fonts, e.g. `ABCDEF+NotoSansCJKsc-Regular`. */
  fonts: string[];
  /** The document information's Title. */
  title: string | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  const start = /(\d+) 0 obj\b/g;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const end = text.indexOf('endobj', match.index);
    const body = text.slice(match.index + match[0].length, end);
    const at = body.indexOf('stream');
    if (at < 0 || !/\/Length/.test(body.slice(0, at))) {
      found.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const dataStart = at + 'stream'.length + (body[at + 6] === '\r' ? 2 : 1);
    const length = Number(/\/Length (\d+)/.exec(dict)![1]);
    const raw = Buffer.from(body.slice(dataStart, dataStart + length), 'latin1');
    found.set(Number(match[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  return found;
}

const ref = (dict: string, key: string): number | null => {
  const match = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return match ? Number(match[1]) : null;
};

/** A ToUnicode CMap's codes → text (bfchar and bfrange, arrays or offsets). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const decode = (hex: string) => {
    const units: number[] = [];
    for (const word of hex.replace(/\s+/g, '').match(/.{4}/g) ?? []) units.push(parseInt(word, 16));
    return String.fromCharCode(...units);
  };
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const line of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F ]+>)/g)) {
      const low = parseInt(line[1]!, 16);
      const high = parseInt(line[2]!, 16);
      if (line[3]!.startsWith('[')) {
        [...line[3]!.matchAll(/<([0-9a-fA-F ]+)>/g)].forEach((m, i) => map.set(low + i, decode(m[1]!)));
      } else {
        const first = decode(line[3]!.slice(1, -1));
        for (let code = low; code <= high; code++) map.set(code, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + code - low));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const line of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F ]+)>/g)) map.set(parseInt(line[1]!, 16), decode(line[2]!));
  }
  return map;
}

export function readPdf(pdf: Buffer): PdfReading {
  const all = objects(pdf);
  const pagesRoot = [...all.values()].find((o) => /\/Type \/Pages\b/.test(o.dict));
  const kids = pagesRoot ? [...(/\/Kids \[([^\]]*)\]/.exec(pagesRoot.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1])) : [];
  const maps = new Map<number, Map<number, string>>();
  const fontMap = (id: number) => {
    if (!maps.has(id)) {
      const cmap = ref(all.get(id)?.dict ?? '', 'ToUnicode');
      maps.set(id, toUnicode(cmap !== null ? (all.get(cmap)?.stream?.toString('latin1') ?? '') : ''));
    }
    return maps.get(id)!;
  };
  const pages = kids.map((kid) => {
    const page = all.get(kid)!.dict;
    const resourcesId = ref(page, 'Resources');
    const resources = resourcesId !== null ? all.get(resourcesId)!.dict : page;
    const fonts = new Map([...(/\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]));
    const content = all.get(ref(page, 'Contents')!)!.stream!.toString('latin1');
    const runs: string[] = [];
    let current = new Map<number, string>();
    for (const op of content.matchAll(/\/(\S+) [\d.]+ Tf|\[((?:<[0-9a-fA-F]*>|[^\]])*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (op[1] !== undefined) current = fontMap(fonts.get(op[1]) ?? -1);
      else {
        const hex = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('') : op[3]!;
        runs.push((hex.match(/.{4}/g) ?? []).map((code) => current.get(parseInt(code, 16)) ?? '\uFFFD').join(''));
      }
    }
    return runs.join('\n');
  });
  const fonts = [...all.values()].flatMap((o) => (/\/Type \/Font\b/.test(o.dict) && /\/Subtype \/Type0/.test(o.dict) ? [/\/BaseFont \/(\S+)/.exec(o.dict)?.[1] ?? ''] : []));
  // The information dictionary; pdfkit writes each of its strings as an object of its own.
  const info = [...all.values()].find((o) => /\/Producer\b/.test(o.dict) && !o.stream)?.dict ?? '';
  const titleRef = ref(info, 'Title');
  const title = titleRef !== null ? (all.get(titleRef)?.dict.trim() ?? null) : (/\/Title\s*(<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\))/.exec(info)?.[1] ?? null);
  return { header: pdf.subarray(0, 8).toString('latin1'), pages, fonts, title: pdfString(title) };
}

/** A PDF text string: hex (UTF-16BE with BOM) or literal. */
function pdfString(token: string | null): string | null {
  if (!token) return null;
  if (token.startsWith('<')) {
    const bytes = Buffer.from(token.slice(1, -1), 'hex');
    return bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString('utf16le') : bytes.toString('latin1');
  }
  const literal = token.slice(1, -1).replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[c] ?? (/^[0-7]+$/.test(c) ? String.fromCharCode(parseInt(c, 8)) : c));
  const bytes = Buffer.from(literal, 'latin1');
  return bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString('utf16le') : literal;
}
