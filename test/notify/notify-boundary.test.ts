/**
 * The notifier sits where the features and the conversation may both use it: it depends on
 * neither, and it renders with the translator it is given — it reads no locale files of its own,
 * so a notice is always in the same words as the rest of the process that writes it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../conversation/support/test-locales.js';

const NOTIFY = join(ROOT, 'src/notify');

/** The modules a source file imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import[^;]*?from '([^']+)';/gms)].map((match) => match[1]!);
}

/** Every .ts file under a folder. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

describe('src/notify', () => {
  it('depends on neither the conversation nor the features, and reads no files', () => {
    const files = sourcesUnder(NOTIFY);
    expect(files.map((file) => file.slice(NOTIFY.length + 1)).sort()).toContain('account-notifier.ts');
    for (const file of files) {
      const imports = importsOf(file);
      expect(imports.filter((from) => /\/(conversation|features|inbox)\//.test(from)), file).toEqual([]);
      expect(imports.filter((from) => from === 'node:fs' || from === 'node:fs/promises'), file).toEqual([]);
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/loadTranslator|['/]locales['/]/);
    }
  });

  it('is what the features import for notices, not a copy in the conversation', () => {
    const features = sourcesUnder(join(ROOT, 'src/features'));
    const fromConversation = features.filter((file) => importsOf(file).some((from) => /conversation\/(account-notifier|command-buttons|office-contact)\.js$/.test(from)));
    expect(fromConversation).toEqual([]);
  });
});
