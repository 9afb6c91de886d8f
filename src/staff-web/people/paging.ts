/**
 * Pages of a list: a list never silently drops entries, it says "showing 51–100 of 312" and
 * links to the next page. One page size for the console's people lists, short enough for a phone.
 */

/** Entries on one page. */
export const PAGE_SIZE = 50;

/** Which slice of a list is shown. `page` is 1-based. */
export interface PageInfo {
  page: number;
  pageSize: number;
  /** Every entry the query matched, not just this page's. */
  total: number;
  pages: number;
}

/** A page number as typed in a URL: a whole number from 1, anything else is the first page. */
export function pageNumber(typed: unknown): number {
  const number = typeof typed === 'number' ? typed : Number.parseInt(String(typed ?? ''), 10);
  return Number.isSafeInteger(number) && number >= 1 ? number : 1;
}

/** The page's place in the list; a page past the end shows the last one. */
export function pageOf(total: number, page: number, pageSize: number = PAGE_SIZE): PageInfo & { skip: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const shown = Math.min(pageNumber(page), pages);
  return { page: shown, pageSize, total, pages, skip: (shown - 1) * pageSize };
}
