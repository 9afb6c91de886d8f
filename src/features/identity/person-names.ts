/**
 * People's names as typed in chat and as written in the roster, compared the way the office
 * would: full-width folded, spaces squeezed (and none between Chinese characters), any case.
 */

/** A typed name cleaned for storing: NFKC, single spaces, trimmed, no spaces between CJK characters. */
export function cleanName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?<=[\p{Script=Han}·]) (?=[\p{Script=Han}·])/gu, '');
}

/** Whether two names are the same person's name as the office would read them. */
export function sameName(a: string, b: string): boolean {
  return cleanName(a).toLowerCase() === cleanName(b).toLowerCase();
}
