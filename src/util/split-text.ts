/**
 * Splits text that is longer than a platform allows into pieces of at most `max` characters,
 * preferring paragraph breaks, then line breaks, then sentence ends (Chinese and Latin), then
 * spaces, and only then a hard cut. Characters are counted as code points so a CJK or emoji
 * character is never cut in half.
 */
const BREAKS: RegExp[] = [/\n\s*\n/g, /\n/g, /[。！？!?；;]+|[.](?=\s)/g, /[，,、]|\s/g];

export function splitText(text: string, max: number): string[] {
  const chars = Array.from(text);
  if (chars.length <= max) return [text];
  const pieces: string[] = [];
  let rest = chars;
  while (rest.length > max) {
    const window = rest.slice(0, max).join('');
    const cut = findCut(window, Math.floor(max / 2));
    const head = Array.from(window.slice(0, cut)).length > 0 ? Array.from(window.slice(0, cut)) : rest.slice(0, max);
    pieces.push(head.join('').trimEnd());
    rest = rest.slice(head.length);
    while (rest.length > 0 && /\s/.test(rest[0]!)) rest = rest.slice(1);
  }
  if (rest.length > 0) pieces.push(rest.join(''));
  return pieces.filter((p) => p.length > 0);
}

/** The last good break at or after `minCut` (a string index just past the break), or the window's end. */
function findCut(window: string, minCut: number): number {
  for (const pattern of BREAKS) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      const end = match.index + match[0].length;
      if (end >= minCut && end < window.length + 1) best = end;
    }
    if (best > 0) return best;
  }
  return window.length;
}
