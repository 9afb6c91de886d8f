/**
 * A small message catalogue: nested JSON files in `locales/`, addressed by dotted keys,
 * with `{{name}}` placeholders. zh-CN is the primary language; a key missing in another
 * language falls back to zh-CN (the locale-completeness test keeps that from happening).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type Vars = Record<string, string | number | undefined | null>;
export type Catalog = Record<string, string>;

export const PRIMARY_LOCALE = 'zh-CN';

/** Flattens `{ a: { b: "x" } }` into `{ "a.b": "x" }`. Arrays are not allowed in catalogues. */
export function flattenCatalog(tree: unknown, prefix = '', out: Catalog = {}): Catalog {
  if (typeof tree === 'string') {
    out[prefix] = tree;
    return out;
  }
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    throw new Error(`locale entry "${prefix}" must be a string or an object`);
  }
  for (const [key, value] of Object.entries(tree)) {
    flattenCatalog(value, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

/** Replaces `{{name}}` with vars.name; an unknown placeholder is left visible so it gets noticed. */
export function interpolate(template: string, vars: Vars = {}): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

export class Translator {
  constructor(private readonly catalogs: ReadonlyMap<string, Catalog>) {
    if (!catalogs.has(PRIMARY_LOCALE)) throw new Error(`locale ${PRIMARY_LOCALE} is missing`);
  }

  /** Locales available, primary first. */
  get locales(): string[] {
    return [PRIMARY_LOCALE, ...[...this.catalogs.keys()].filter((l) => l !== PRIMARY_LOCALE)];
  }

  has(key: string, locale: string = PRIMARY_LOCALE): boolean {
    return this.catalogs.get(locale)?.[key] !== undefined;
  }

  /** Picks a supported locale for a hint such as "en-US" or "zh-Hans"; undefined if none fits. */
  match(hint: string | undefined | null): string | undefined {
    if (!hint) return undefined;
    const lower = hint.toLowerCase();
    const exact = this.locales.find((l) => l.toLowerCase() === lower);
    if (exact) return exact;
    const base = lower.split(/[-_]/)[0];
    return this.locales.find((l) => l.toLowerCase().split('-')[0] === base);
  }

  t(locale: string, key: string, vars?: Vars): string {
    const template = this.catalogs.get(locale)?.[key] ?? this.catalogs.get(PRIMARY_LOCALE)?.[key];
    if (template === undefined) throw new Error(`missing locale key "${key}"`);
    return interpolate(template, vars);
  }

  /** A list-valued entry stored as "a|b|c" (command words and the like). */
  words(locale: string, key: string): string[] {
    return this.t(locale, key)
      .split('|')
      .map((w) => w.trim())
      .filter(Boolean);
  }

  keys(locale: string): string[] {
    return Object.keys(this.catalogs.get(locale) ?? {});
  }
}

/** Loads every `<locale>.json` in a folder. */
export function loadTranslator(dir: string): Translator {
  const catalogs = new Map<string, Catalog>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    const tree: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    catalogs.set(file.slice(0, -'.json'.length), flattenCatalog(tree));
  }
  return new Translator(catalogs);
}
