/**
 * What staff type into the console's forms and addresses, checked at the edge: a NUL or a lone
 * surrogate cannot be stored (src/util/storable-text.ts), and nothing these pages take is longer
 * than a few hundred characters. Such input is refused with words (400) or answered as "not
 * found" (an address), never handed to a query that would fail with a 500.
 */
import { z } from 'zod';
import { isStorableText } from '../../util/storable-text.js';

/** The longest search, name, address or code anyone types into these pages. */
export const MAX_TYPED = 200;
/** Ids and codes in an address: a household's code, a resident's id, a term's id. */
export const MAX_PATH_PART = 100;

/** A form field of at most `max` characters that can be stored as it is. */
export function formText(max = MAX_TYPED) {
  return z.string().max(max).refine(isStorableText);
}

/** `typed` when it is text of at most `max` characters that can be stored, else null. */
export function typedText(typed: unknown, max = MAX_TYPED): string | null {
  return typeof typed === 'string' && typed.length <= max && isStorableText(typed) ? typed : null;
}
