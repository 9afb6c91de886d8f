/**
 * What an audit row's `details` may hold: ids, codes, counts and flags — never a name, a phone
 * number, an address or anything a person wrote. The audit log is kept for years and read by
 * staff; personal data in it could not be removed with the person (privacy/remove-resident.ts).
 * Checked by key and by value; a violation is a programming error and throws.
 */

/** A value details may hold: JSON without free text (checked by `checkAuditDetails`). */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
/** An audit row's details: ids, codes, counts and flags by name. */
export type AuditDetails = { [key: string]: AuditValue };

/** Key endings that name personal data or free text (compared lower-case, without `_` and `-`). */
const FORBIDDEN_KEY_ENDINGS = [
  'name',
  'phone',
  'phonenumber',
  'mobile',
  'address',
  'text',
  'message',
  'body',
  'content',
  'note',
  'comment',
  'description',
  'title',
  'email',
  'birthyear',
  'birthdate',
  'idnumber',
];

/** Ids, codes and words such as `resident.reveal_phone` or `outside_your_area`: ASCII, no spaces. */
const PLAIN_VALUE = /^[A-Za-z0-9_.:\-/]{0,100}$/;
/** A mainland mobile number hidden in an otherwise plain value. */
const MOBILE_NUMBER = /(^|\D)1[3-9]\d{9}(\D|$)/;
/**
 * Record ids (UUIDs, cuids): random, so about 3 in 10,000 UUIDs hold eleven digits in a row that
 * look like a mobile number. An id is never a phone number; it is exempt from that check.
 */
const RECORD_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|c[a-z0-9]{24})$/i;

/** Thrown when details would hold personal data; names the key, never the value. */
export class AuditDetailsError extends Error {
  override readonly name = 'AuditDetailsError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`audit details must hold ids and counts only: "${path}" ${problem}`);
  }
}

/** Throws `AuditDetailsError` unless every key and value in `details` is allowed. */
export function checkAuditDetails(details: AuditDetails): void {
  checkValue(details, '');
}

function checkValue(value: AuditValue, path: string): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AuditDetailsError(path, 'is not a finite number');
    return;
  }
  if (typeof value === 'string') {
    if (!PLAIN_VALUE.test(value)) throw new AuditDetailsError(path, 'is not an id or a code');
    if (!RECORD_ID.test(value) && MOBILE_NUMBER.test(value)) throw new AuditDetailsError(path, 'looks like a phone number');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkValue(item, `${path}[${index}]`));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyPath = path ? `${path}.${key}` : key;
    const plain = key.toLowerCase().replace(/[_-]/g, '');
    if (FORBIDDEN_KEY_ENDINGS.some((ending) => plain.endsWith(ending))) {
      throw new AuditDetailsError(keyPath, 'names personal data or free text');
    }
    checkValue(item, keyPath);
  }
}
