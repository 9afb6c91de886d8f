/**
 * The README names the Node version the project needs; `npm install` on that version must print
 * no engine warning. That holds when the project's own `engines.node` and every installed
 * package's accept it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { satisfiesNodeRange } from '../support/node-range.js';

const root = join(import.meta.dirname, '..', '..');

interface Manifest {
  name?: string;
  version?: string;
  engines?: { node?: unknown };
}

function manifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Every package folder under a node_modules folder, nested ones included. */
function installedPackages(nodeModules: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(nodeModules, name);
    if (!statSync(path).isDirectory()) continue;
    const folders = name.startsWith('@') ? readdirSync(path).map((inner) => join(path, inner)) : [path];
    for (const folder of folders) {
      if (!statSync(folder).isDirectory()) continue;
      out.push(folder);
      installedPackages(join(folder, 'node_modules'), out);
    }
  }
  return out;
}

/** "You need Node.js 20.19 or newer" → "20.19.0". */
function readmeNodeVersion(): string {
  const match = /Node\.js (\d+\.\d+(?:\.\d+)?) or newer/.exec(readFileSync(join(root, 'README.md'), 'utf8'));
  if (!match) throw new Error('README.md names no Node.js version ("Node.js X.Y or newer")');
  return match[1]!.split('.').length === 2 ? `${match[1]}.0` : match[1]!;
}

describe('the Node version the README names', () => {
  const version = readmeNodeVersion();

  it('is the lowest the project itself accepts', () => {
    const range = String(manifest(root)?.engines?.node);
    expect(satisfiesNodeRange(version, range), `package.json engines.node "${range}"`).toBe(true);
    const [major, minor] = version.split('.').map(Number);
    expect(satisfiesNodeRange(`${major}.${minor! - 1}.0`, range), 'an older Node is refused').toBe(false);
  });

  it('is accepted by every installed package', () => {
    const refusing: string[] = [];
    let checked = 0;
    for (const folder of installedPackages(join(root, 'node_modules'))) {
      const pkg = manifest(folder);
      if (!pkg?.name || pkg.engines?.node === undefined) continue;
      checked += 1;
      const range = String(pkg.engines.node);
      if (!satisfiesNodeRange(version, range)) refusing.push(`${pkg.name}@${pkg.version ?? '?'} wants node ${range}`);
    }
    expect(checked).toBeGreaterThan(100);
    expect(refusing).toEqual([]);
  });
});

describe('reading engine ranges', () => {
  it.each([
    ['>=20.19', '20.19.0', true],
    ['>=20.19', '20.18.3', false],
    ['^20.19 || ^22.12 || >=24.0', '20.19.0', true],
    ['^20.19 || ^22.12 || >=24.0', '21.0.0', false],
    ['^20.19 || ^22.12 || >=24.0', '22.11.0', false],
    ['>= 20.19.0', '20.19.0', true],
    ['>=22', '20.19.0', false],
    ['^18.12.0 || >=20.9.0', '20.19.0', true],
    ['^18.12.0', '20.19.0', false],
    ['~20.18.0', '20.19.0', false],
    ['6.* || 8.* || >= 10.*', '20.19.0', true],
    ['>=10 <11 || >=12', '10.5.0', true],
    ['>=10 <11 || >=12', '11.2.0', false],
    ['*', '20.19.0', true],
    ['0.8.x', '0.8.4', true],
    ['16 - 18', '19.0.0', false],
    ['16 - 18', '18.4.0', true],
  ])('%s with %s: %s', (range, version, expected) => {
    expect(satisfiesNodeRange(version, range)).toBe(expected);
  });
});
