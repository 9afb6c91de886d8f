/**
 * Text a person or another system sends us is stored in PostgreSQL `text` columns and handed to
 * chat platforms as UTF-8. A NUL character cannot be stored at all, and a lone UTF-16 surrogate
 * has no UTF-8 form, so both are refused at the edge (a 400 with a plain reason) instead of
 * failing deep inside a query.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` can be stored and sent as it is. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}
