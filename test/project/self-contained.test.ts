/**
 * The repository stands on its own: code and docs cite only files it holds, and every
 * "docs/domain.md rule N" names a rule that file has.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const trackedFiles = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => /\.(ts|md|prisma|yaml|json|mjs|js)$/.test(file));
const texts = trackedFiles.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));

/** Numbers of the rules in docs/domain.md ("1. **…**"). */
function domainRuleNumbers(): Set<number> {
  const doc = readFileSync(join(root, 'docs', 'domain.md'), 'utf8');
  return new Set([...doc.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));
}

describe('the repository stands on its own', () => {
  it('cites no domain file outside the repository', () => {
    const outside = texts.filter(({ text }) => /[D]OMAIN\.md|\.\.\/[s]hared\//.test(text)).map(({ file }) => file);
    expect(outside).toEqual([]);
  });

  it('cites only rules docs/domain.md has', () => {
    const rules = domainRuleNumbers();
    expect(rules.size).toBeGreaterThanOrEqual(10);
    const cited = texts.flatMap(({ file, text }) =>
      [...text.matchAll(/domain(?:\.md\]?\(?[\w./]*\)?)? rules? (\d+)(?: and (\d+))?/g)].flatMap((m) =>
        [m[1], m[2]].filter((n): n is string => n !== undefined).map((n) => ({ file, rule: Number(n) })),
      ),
    );
    expect(cited.length).toBeGreaterThan(10);
    expect(cited.filter(({ rule }) => !rules.has(rule))).toEqual([]);
  });
});
