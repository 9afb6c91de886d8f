/**
 * Every text a person sees lives in locales/: each key exists in every language, with the same
 * placeholders; every key used in code or in flows exists; no key lies unused.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenCatalog, PRIMARY_LOCALE } from '../../src/i18n/translator.js';

const root = join(import.meta.dirname, '..', '..');
const localesDir = join(root, 'locales');

function catalog(locale: string): Record<string, string> {
  return flattenCatalog(JSON.parse(readFileSync(join(localesDir, `${locale}.json`), 'utf8')));
}

function filesUnder(dir: string, endings: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'generated' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, endings));
    else if (endings.some((e) => name.endsWith(e))) out.push(path);
  }
  return out;
}

const locales = readdirSync(localesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
const primary = catalog(PRIMARY_LOCALE);
const namespaces = new Set(Object.keys(primary).map((k) => k.split('.')[0]!));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

/** Quoted strings that look like keys in one of the catalogue's namespaces. */
function keysUsedIn(files: string[]): Map<string, string> {
  const used = new Map<string, string>();
  const literal = /['"`]([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)+)['"`]|:\s+([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)+)\s*$/gm;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(literal)) {
      const key = match[1] ?? match[2]!;
      if (namespaces.has(key.split('.')[0]!)) used.set(key, relative(root, file));
    }
  }
  return used;
}

const sourceFiles = filesUnder(join(root, 'src'), ['.ts', '.js', '.html']);
const flowFiles = filesUnder(join(root, 'flows'), ['.yaml', '.yml']);
const used = keysUsedIn([...sourceFiles, ...flowFiles]);

describe('locales', () => {
  it('has zh-CN first and English', () => {
    expect(locales).toContain('zh-CN');
    expect(locales).toContain('en');
  });

  it.each(locales.filter((l) => l !== PRIMARY_LOCALE))('%s has exactly the keys of zh-CN, with the same placeholders', (locale) => {
    const other = catalog(locale);
    expect(Object.keys(other).sort()).toEqual(Object.keys(primary).sort());
    for (const [key, text] of Object.entries(primary)) {
      expect({ key, placeholders: placeholders(other[key] ?? '') }).toEqual({ key, placeholders: placeholders(text) });
    }
  });

  it.each(locales)('%s has no empty text', (locale) => {
    const empty = Object.entries(catalog(locale)).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('has every key that code and flows use, in every locale', () => {
    const missing: string[] = [];
    for (const locale of locales) {
      const keys = catalog(locale);
      for (const [key, file] of used) if (keys[key] === undefined) missing.push(`${locale}: ${key} (used in ${file})`);
    }
    expect(missing).toEqual([]);
  });

  it('has no key that nothing uses', () => {
    const unused = Object.keys(primary).filter((key) => !used.has(key));
    expect(unused).toEqual([]);
  });
});
