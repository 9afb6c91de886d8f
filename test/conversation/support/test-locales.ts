/**
 * Builds the translator engine tests render with: the project's locales, the flow keys still
 * waiting in locales-fragments/ (when that file exists), and the test fixtures' own keys.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Translator, flattenCatalog, type Catalog } from '../../../src/i18n/translator.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/flows');
const LOCALES = ['zh-CN', 'en'];

function readTree(file: string): Record<string, unknown> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

/** Project locales + the flows fragment (if not merged yet) + any extra folders of `<locale>.json`. */
export function testTranslator(...extraDirs: string[]): Translator {
  const catalogs = new Map<string, Catalog>();
  for (const locale of LOCALES) {
    const catalog: Catalog = {};
    flattenCatalog(readTree(join(ROOT, 'locales', `${locale}.json`)), '', catalog);
    flattenCatalog(readTree(join(ROOT, 'locales-fragments', `flows.${locale}.json`)), '', catalog);
    for (const dir of extraDirs) flattenCatalog(readTree(join(dir, `${locale}.json`)), '', catalog);
    catalogs.set(locale, catalog);
  }
  return new Translator(catalogs);
}

/** Names of the sub-folders of a fixture folder. */
export function fixtureCases(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
