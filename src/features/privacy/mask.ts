/**
 * How staff see people by default: enough to tell them apart and to confirm "the number ending
 * 5678", not enough to call or look them up. The full number is `revealPhone`'s, and audited.
 */

/** Compound surnames shown whole, so 欧阳娜娜 reads 欧阳** rather than 欧***. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '呼延', '申屠', '万俟', '闻人', '太史',
  '钟离', '赫连', '濮阳', '公冶', '宗政', '澹台', '拓跋', '东郭', '百里', '第五',
]);

/** Separators in names written with parts (买买提·艾力, Anna Lee): kept, so the shape stays readable. */
const NAME_SEPARATORS = new Set(['·', '•', '・', '.', ' ', '-']);

/**
 * `张三丰` → `张**`, `欧阳娜娜` → `欧阳**`, `买买提·艾力` → `买**·**`, `Anna Lee` → `A*** ***`.
 * The surname (first character, or a compound surname when the name is longer) stays; every
 * other letter becomes `*`. A one-character name is hidden entirely.
 */
export function maskName(name: string): string {
  const letters = Array.from(name.trim());
  if (letters.length === 0) return '';
  if (letters.length === 1) return '*';
  const kept = letters.length >= 3 && COMPOUND_SURNAMES.has(letters[0]! + letters[1]!) ? 2 : 1;
  return letters.map((letter, index) => (index < kept || NAME_SEPARATORS.has(letter) ? letter : '*')).join('');
}

/**
 * `13812345678` → `138****5678`; landlines keep their area code and last four digits
 * (`01062345678` → `010****5678`, `0991-4567890` → `0991***7890`); `+86`/`0086` is kept as
 * `+86 `; a local number without area code keeps its last four (`62345678` → `****5678`).
 * Anything else shows only its last two digits, and four digits or fewer nothing.
 */
export function maskPhone(phone: string): string {
  const written = toAsciiDigits(phone);
  let digits = written.replace(/\D/g, '');
  let prefix = '';
  if (/^(0086|86)1\d{10}$/.test(digits) || (/^\s*[+＋]\s*86/.test(written) && digits.startsWith('86'))) {
    digits = digits.replace(/^(0086|86)/, '');
    prefix = '+86 ';
  }
  if (/^1\d{10}$/.test(digits)) return `${prefix}${digits.slice(0, 3)}****${digits.slice(-4)}`;
  const landline = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(digits);
  if (landline) {
    const [, areaCode, local] = landline as unknown as [string, string, string];
    return `${prefix}${areaCode}${'*'.repeat(local.length - 4)}${local.slice(-4)}`;
  }
  // A local number written without its area code.
  if (digits.length === 7 || digits.length === 8) return `${prefix}${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${prefix}${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** Full-width digits (１３９) as ASCII, so every check below reads one kind of digit. */
function toAsciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}

/**
 * What people put between the groups of a number they type: spaces (also the ideographic one),
 * dots, dashes of every width, slashes, underscores, brackets round an area code, in ASCII and
 * full width. Up to three in a row (`139 - 0013 - 9000`).
 */
const SEPARATOR = String.raw`[\s\u3000.．·・\-－‐‑–—/／_()（）]`;
const DIGIT = '[0-9０-９]';
/**
 * A number of seven digits or more, however written: an optional `+86` / `(010)` in front, then
 * digits with separators between them, an ID card's final X included. Seven is the shortest
 * local landline; house and room numbers are shorter.
 */
const WRITTEN_NUMBER = new RegExp(
  String.raw`(?:[+＋]\s*)?(?:[(（]\s*)?${DIGIT}(?:${SEPARATOR}{0,3}${DIGIT}){6,}[xXｘＸ]?`,
  'g',
);
/** A date written with separators (2026-01-05, 2026.1.5): seven or eight digits, but not a number to hide. */
const WRITTEN_DATE = /^(?:19|20)\d{2}\s*[-./]\s*(?:0?[1-9]|1[0-2])\s*[-./]\s*(?:0?[1-9]|[12]\d|3[01])$/;
/** The part of a ticket number in front of its digits (`MQ-` of MQ-2026-00123): a reference, not a phone. */
const TICKET_NUMBER_PREFIX = /[A-Za-z]+[-－]$/;

/**
 * Free text with every phone or ID number in it replaced by `***` — written with any separator,
 * full-width digits, a `+86` prefix or an area code in brackets (`请回电 139.0013.9000` →
 * `请回电 ***`). Dates and ticket numbers are left alone. For text that leaves the community
 * (the public feed), where not even the last digits should show.
 */
export function hideNumbersIn(text: string): string {
  return text.replace(WRITTEN_NUMBER, (found: string, offset: number) => {
    const ascii = toAsciiDigits(found).replace(/[．]/g, '.').replace(/[－‐‑–—]/g, '-');
    if (WRITTEN_DATE.test(ascii.trim())) return found;
    if (TICKET_NUMBER_PREFIX.test(text.slice(Math.max(0, offset - 8), offset))) return found;
    return '***';
  });
}

/** A person as a staff list shows them: masked name and phone (null phone stays null). */
export function maskPerson(person: { name: string; phone: string | null }): { name: string; phone: string | null } {
  return { name: maskName(person.name), phone: person.phone === null ? null : maskPhone(person.phone) };
}
