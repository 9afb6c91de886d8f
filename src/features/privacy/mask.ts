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
  let digits = phone.replace(/\D/g, '');
  let prefix = '';
  if (/^(0086|86)1\d{10}$/.test(digits) || (phone.trim().startsWith('+86') && digits.startsWith('86'))) {
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

/** A person as a staff list shows them: masked name and phone (null phone stays null). */
export function maskPerson(person: { name: string; phone: string | null }): { name: string; phone: string | null } {
  return { name: maskName(person.name), phone: person.phone === null ? null : maskPhone(person.phone) };
}
