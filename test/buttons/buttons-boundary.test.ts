/**
 * One registry of buttons: it sits where the features, the inbox and the conversation may all use
 * it and depends on none of them; it alone signs and verifies button data; and pressed data is
 * handed to it in one place, read nowhere else outside the channels that receive it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../conversation/support/test-locales.js';

const SRC = join(ROOT, 'src');

/** The modules a source file imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import[^;]*?from '([^']+)';/gms)].map((match) => match[1]!);
}

/** Every .ts file under a folder, but the generated client. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.startsWith('generated'))
    .map((name) => join(dir, name));
}

describe('src/buttons', () => {
  it('depends on no conversation, feature, inbox, notice or channel adapter', () => {
    const files = sourcesUnder(join(SRC, 'buttons'));
    expect(files.map((file) => relative(SRC, file)).sort()).toEqual(['buttons/button-kind.ts', 'buttons/button-registry.ts', 'buttons/numbered-choices.ts']);
    for (const file of files) {
      const imports = importsOf(file);
      expect(imports.filter((from) => /\/(conversation|features|inbox|notify)\//.test(from)), file).toEqual([]);
      expect(imports.filter((from) => from.includes('/channels/') && !from.endsWith('/channels/types.js')), file).toEqual([]);
    }
  });

  it('alone signs and verifies button data, and presses reach it from one place', () => {
    const signing = sourcesUnder(SRC).filter((file) => importsOf(file).some((from) => from.endsWith('/button-signing.js')));
    expect(signing.map((file) => relative(SRC, file))).toEqual(['buttons/button-registry.ts']);
    const readingPresses = sourcesUnder(SRC).filter((file) => !relative(SRC, file).startsWith('channels/') && /\.choiceData\b/.test(readFileSync(file, 'utf8')));
    expect(readingPresses.map((file) => relative(SRC, file))).toEqual(['conversation/button-presses.ts']);
  });
});
