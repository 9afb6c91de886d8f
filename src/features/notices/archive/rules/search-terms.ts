/**
 * How words become search terms, the same for a notice's text and a person's question, so Chinese
 * needs no dictionary: every run of CJK characters is cut into overlapping two-character pieces
 * (停水通知 → 停水 水通 通知), Latin words are kept whole. Two characters are the shortest piece that
 * still means something (水 alone is in 水费 and 停水; 停水 is only in the water cut), and a piece
 * needs no word list, no model and no database extension, so PGlite and PostgreSQL search alike.
 *
 * A question's own words (什么时候, 怎么办, 吗, ？, "when", "is") say nothing of what is asked
 * for: they are dropped before cutting, or "什么时候停电" would find every notice that says 什么时候.
 */

/** Question and filler phrases dropped from a query, longest first where one holds another. */
const CJK_STOP_PHRASES = [
  '我想知道',
  '想知道',
  '什么时候',
  '什么时间',
  '啥时候',
  '哪一天',
  '几点钟',
  '可不可以',
  '是不是',
  '有没有',
  '能不能',
  '会不会',
  '怎么办',
  '怎么样',
  '为什么',
  '多长时间',
  '多久',
  '请问',
  '怎么',
  '如何',
  '哪天',
  '几号',
  '几点',
  '什么',
  '哪里',
  '一下',
  '通知',
  '公告',
  '小区',
];

/** Particles dropped wherever they stand: they end or join a question, never name its subject. */
const CJK_STOP_CHARACTERS = /[吗呢吧啊呀嘛了的么]/gu;

const LATIN_STOP_WORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'be', 'will', 'when', 'what', 'where', 'why', 'how', 'which', 'who',
  'do', 'does', 'did', 'there', 'any', 'about', 'of', 'to', 'in', 'on', 'at', 'for', 'my', 'our', 'i', 'we',
  'it', 'and', 'or', 'can', 'again', 'notice', 'notices', 'please',
]);

const CJK_RUN = /[\p{Script=Han}]+/gu;
const LATIN_WORD = /[\p{Letter}\p{Number}]+/gu;

/** The form both the stored text and a query are compared in: full-width folded, lower case. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The two-character pieces of one run of CJK characters; a single character is its own piece. */
export function cjkPieces(run: string): string[] {
  const characters = [...run];
  if (characters.length < 2) return characters;
  const pieces: string[] = [];
  for (let i = 0; i + 1 < characters.length; i++) pieces.push(characters[i]! + characters[i + 1]!);
  return pieces;
}

/** "elevators" finds "elevator": a plain plural's s is dropped (the text is matched as a substring). */
function latinStem(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/**
 * The distinct terms of a query, in order: CJK pieces and Latin words (two letters or more), with
 * question words dropped. A lone CJK character counts only when nothing else is left (电 would
 * find 电梯 and 停电 alike). Empty: the query asks for nothing in particular.
 *
 * @example
 * searchTerms('什么时候停水？') // ['停水']
 * searchTerms('When is the water cut?') // ['water', 'cut']
 */
export function searchTerms(query: string): string[] {
  let text = normalizeForSearch(query);
  for (const phrase of CJK_STOP_PHRASES) text = text.split(phrase).join(' ');
  text = text.replace(CJK_STOP_CHARACTERS, ' ');
  const terms: string[] = [];
  const singles: string[] = [];
  for (const run of text.match(CJK_RUN) ?? []) {
    const pieces = cjkPieces(run);
    (pieces.length === 1 && [...run].length === 1 ? singles : terms).push(...pieces);
  }
  for (const word of text.replace(CJK_RUN, ' ').match(LATIN_WORD) ?? []) {
    if (word.length < 2 || LATIN_STOP_WORDS.has(word)) continue;
    terms.push(latinStem(word));
  }
  return [...new Set(terms.length > 0 ? terms : singles)];
}
