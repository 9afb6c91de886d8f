/**
 * Channels are known by name only in src/channels: everything else decides by capabilities and by
 * the optional interfaces a channel offers (src/channels/types.ts), so a channel is added or
 * removed there alone (docs/architecture.md, "Channels").
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

/** Every .ts file under src, as a path from the repository's root. */
function sources(): string[] {
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => relative(root, join(src, name)).split('\\').join('/'));
}

/** The modules a source file imports, statically or lazily. */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((match) => match[1]!);
}

const outsideChannels = sources().filter((file) => !file.startsWith('src/channels/'));

describe('channel names', () => {
  it('are written nowhere outside src/channels, comments included', () => {
    expect(outsideChannels.length).toBeGreaterThan(50);
    const naming = outsideChannels.flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (/'(telegram|wechat|web)'/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(naming).toEqual([]);
  });

  it('are no folder the app, the modules or the inbox import from: channels are assembled in src/channels', () => {
    const wiring = outsideChannels.filter((file) => file === 'src/app.ts' || /^src\/(modules|inbox|features)\//.test(file));
    const platformImports = wiring.flatMap((file) =>
      importsOf(readFileSync(join(root, file), 'utf8'))
        .filter((from) => /channels\/(telegram|wechat|web)\//.test(from))
        .map((from) => `${file} imports ${from}`),
    );
    expect(platformImports).toEqual([]);
  });
});
