/**
 * Which notices answer a query, best first: a term found in few notices says more than one found in
 * many (its weight is ln(1 + N / notices holding it)), a term in a title counts twice, and a notice
 * must hold at least half the query's weight — "停水停电" finds both cuts, "电梯维修" not every
 * notice with 维修 in it. Terms no notice holds ("暖气来" → 气来) are left out of the sum: they are
 * the seams between words, not what was asked. Ties: the newer first.
 */
import { normalizeForSearch } from './search-terms.js';

export interface SearchCandidate {
  id: string;
  /** Every title of the notice (each version's), as written. */
  titles: readonly string[];
  /** `Notice.searchText`: normalized title and body of every version. */
  searchText: string;
  sentAt: Date;
}

export interface RankedNotice {
  id: string;
  score: number;
}

/** The share of the query's weight a notice must hold to be an answer. */
export const MIN_COVERAGE = 0.5;

/**
 * `candidates` are the notices holding at least one term (any other scores nothing); `total` is how
 * many notices were searched (the candidates among them).
 */
export function rankNotices(terms: readonly string[], candidates: readonly SearchCandidate[], total: number): RankedNotice[] {
  const holders = new Map<string, number>();
  for (const term of terms) holders.set(term, candidates.filter((c) => c.searchText.includes(term)).length);
  const weight = (term: string) => {
    const held = holders.get(term) ?? 0;
    return held === 0 ? 0 : Math.log(1 + Math.max(total, candidates.length) / held);
  };
  const full = terms.reduce((sum, term) => sum + weight(term), 0);
  if (full === 0) return [];
  const ranked: (RankedNotice & { sentAt: number })[] = [];
  for (const candidate of candidates) {
    const titles = normalizeForSearch(candidate.titles.join('\n'));
    let held = 0;
    let score = 0;
    for (const term of terms) {
      if (!candidate.searchText.includes(term)) continue;
      held += weight(term);
      score += weight(term) * (titles.includes(term) ? 2 : 1);
    }
    if (held / full >= MIN_COVERAGE) ranked.push({ id: candidate.id, score, sentAt: candidate.sentAt.getTime() });
  }
  ranked.sort((a, b) => b.score - a.score || b.sentAt - a.sentAt || (a.id < b.id ? -1 : 1));
  return ranked.map(({ id, score }) => ({ id, score }));
}
