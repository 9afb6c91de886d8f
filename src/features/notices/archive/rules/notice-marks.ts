/**
 * How a notice's title is marked where residents read it: a disclosure 【公开】 (it never expires),
 * an alert 【紧急】, a plain notice 📢 when shown in full and nothing in a list. A title its
 * writer already opened with a bracketed mark (the fund's "【居务公开】…", "[Public accounts] …")
 * is not marked twice.
 */

/** A title that opens with a mark of its own: 【…】 or […]. */
export function titleIsMarked(title: string): boolean {
  return /^\s*(【[^】]*】|\[[^\]]*\])/u.test(title);
}

/** Whether the archive adds its mark to `title`: in a list plain notices go unmarked. */
export function needsMark(kind: string, title: string, where: 'list' | 'full'): boolean {
  if (titleIsMarked(title)) return false;
  return where === 'full' || kind !== 'notice';
}
