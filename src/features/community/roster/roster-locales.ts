/**
 * The translator roster functions use when the caller passes none (the demo seed, scripts): the
 * project's own `locales/`. The accepted words are built once per translator.
 */
import { fileURLToPath } from 'node:url';
import { loadTranslator, type Translator } from '../../../i18n/translator.js';
import { rosterVocabulary, type RosterVocabulary } from './roster-vocabulary.js';

const localesDir = fileURLToPath(new URL('../../../../locales', import.meta.url));

let projectTranslator: Translator | undefined;
const vocabularies = new WeakMap<Translator, RosterVocabulary>();

/** The given translator, or the project's locales loaded once. */
export function rosterTranslator(given?: Translator): Translator {
  return given ?? (projectTranslator ??= loadTranslator(localesDir));
}

/** The words import accepts, from every locale of `translator` (built once per translator). */
export function vocabularyOf(translator: Translator): RosterVocabulary {
  let vocabulary = vocabularies.get(translator);
  if (!vocabulary) {
    vocabulary = rosterVocabulary(translator);
    vocabularies.set(translator, vocabulary);
  }
  return vocabulary;
}
