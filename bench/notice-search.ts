/**
 * `npm run bench:notice-search` — which search answers residents' questions about the notices
 * archive: thirty notices of this community and the questions they ask
 * (test/features/notices/archive/community-notices.ts), each question scored by whether the right
 * notice comes first and whether a notice that must not appear (the water cut for "停电") does.
 *
 * Candidates, all offline and without model downloads:
 * - `substring`: the whole question as one LIKE pattern (what the staff inbox's word search does);
 * - `bigrams, no stop words`: the question cut into two-character pieces as it is;
 * - `bigrams + stop words` (the archive's choice): question words (什么时候, 吗, ？, "when") dropped
 *   first, then pieces, ranked by `rankNotices`;
 * - `pg_trgm`: PGlite's contrib extension, `word_similarity(question, text)` above its default
 *   threshold (0.6), best first (PostgreSQL would need the contrib package on the server too).
 * MiniSearch, FlexSearch and @node-rs/jieba are not installed (not in node_modules): not measured.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { noticeSearchText } from '../src/features/notices/archive/notice-search-text.js';
import { cjkPieces, normalizeForSearch, searchTerms } from '../src/features/notices/archive/rules/search-terms.js';
import { rankNotices, type SearchCandidate } from '../src/features/notices/archive/rules/search-rank.js';
import { SAMPLE_NOTICES, SAMPLE_QUESTIONS } from '../test/features/notices/archive/community-notices.js';

type Search = (query: string) => Promise<string[]>;

const candidates: SearchCandidate[] = SAMPLE_NOTICES.map((notice, index) => ({
  id: notice.key,
  titles: [notice.title, ...Object.values(notice.versions ?? {}).map((v) => v.title)],
  searchText: noticeSearchText(notice),
  // The first of the list is the newest.
  sentAt: new Date(Date.UTC(2026, 11, 7) - index * 86_400_000),
}));

function ranked(terms: string[]): string[] {
  const holding = candidates.filter((c) => terms.some((t) => c.searchText.includes(t)));
  return rankNotices(terms, holding, candidates.length).map((r) => r.id);
}

const substring: Search = async (query) => {
  const typed = normalizeForSearch(query).trim();
  return candidates.filter((c) => c.searchText.includes(typed)).map((c) => c.id);
};

const bigramsAsTyped: Search = async (query) => {
  const text = normalizeForSearch(query);
  const terms = [...(text.match(/\p{Script=Han}+/gu) ?? []).flatMap(cjkPieces), ...(text.match(/[a-z0-9]{2,}/g) ?? [])];
  return ranked([...new Set(terms)]);
};

const bigramsWithStopWords: Search = async (query) => ranked(searchTerms(query));

async function trigramSearch(): Promise<Search | string> {
  try {
    const db = new PGlite({ extensions: { pg_trgm } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE TABLE n (id text, t text);');
    for (const c of candidates) await db.query('INSERT INTO n VALUES ($1, $2)', [c.id, c.searchText]);
    return async (query) => {
      const rows = await db.query<{ id: string }>('SELECT id FROM n WHERE $1 <% t ORDER BY word_similarity($1, t) DESC', [normalizeForSearch(query)]);
      return rows.rows.map((r) => r.id);
    };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function measure(name: string, search: Search): Promise<void> {
  let first = 0;
  let clean = 0;
  const misses: string[] = [];
  for (const question of SAMPLE_QUESTIONS) {
    const found = await search(question.query);
    const right = found[0] === question.first;
    const wrongOnes = (question.never ?? []).filter((key) => found.includes(key));
    if (right) first++;
    if (wrongOnes.length === 0) clean++;
    if (!right || wrongOnes.length > 0) misses.push(`${question.query} → ${found.slice(0, 2).join(',') || '(nothing)'}`);
  }
  const total = SAMPLE_QUESTIONS.length;
  console.log(`${name.padEnd(24)} right first ${first}/${total}, no wrong notice ${clean}/${total}`);
  for (const miss of misses) console.log(`    ${miss}`);
}

await measure('substring', substring);
await measure('bigrams, no stop words', bigramsAsTyped);
await measure('bigrams + stop words', bigramsWithStopWords);
const trigram = await trigramSearch();
if (typeof trigram === 'string') console.log(`pg_trgm                  not measured: ${trigram}`);
else await measure('pg_trgm (PGlite contrib)', trigram);
