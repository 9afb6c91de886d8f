/**
 * Does a Node version satisfy an `engines.node` range? Just enough of npm's range grammar for
 * the ranges packages declare: `||` alternatives, space-separated comparators (`>=`, `>`, `<=`,
 * `<`, `=`), caret and tilde ranges, x-ranges (`*`, `6.x`, `8.*`, `10`) and hyphen ranges.
 * An unreadable range throws, so a new kind of range is looked at rather than waved through.
 */

type Version = [number, number, number];

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Parses `20`, `20.19`, `20.19.0`, `v20.x`; missing or wildcard parts are undefined. */
function partial(text: string): (number | undefined)[] {
  const match = /^v?(\d+|[xX*])?(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(text);
  if (!match) throw new Error(`unreadable version "${text}"`);
  return [match[1], match[2], match[3]].map((part) => (part === undefined || /[xX*]/.test(part) ? undefined : Number(part)));
}

function filled(parts: (number | undefined)[]): Version {
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

/** The version just above every version the partial names: `20.19` → 20.20.0, `6` → 7.0.0. */
function ceiling(parts: (number | undefined)[]): Version {
  if (parts[0] === undefined) return [Infinity, 0, 0];
  if (parts[1] === undefined) return [parts[0] + 1, 0, 0];
  if (parts[2] === undefined) return [parts[0], parts[1] + 1, 0];
  return [parts[0], parts[1], parts[2] + 1];
}

function satisfiesComparator(version: Version, comparator: string): boolean {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(.*)$/.exec(comparator)!;
  const operator = match[1] ?? '=';
  const parts = partial(match[2]!);
  const low = filled(parts);
  const high = ceiling(parts);
  switch (operator) {
    case '>=':
      return compare(version, low) >= 0;
    case '>':
      return compare(version, high) >= 0;
    case '<':
      return compare(version, low) < 0;
    case '<=':
      return compare(version, high) < 0;
    case '=':
      return compare(version, low) >= 0 && compare(version, high) < 0;
    case '~':
      return compare(version, low) >= 0 && compare(version, ceiling(parts[1] === undefined ? [parts[0]] : [parts[0], parts[1]])) < 0;
    default: {
      // ^: the leftmost non-zero part may not change.
      const fixed = low[0] !== 0 || parts[1] === undefined ? 1 : low[1] !== 0 || parts[2] === undefined ? 2 : 3;
      return compare(version, low) >= 0 && compare(version, ceiling(parts.slice(0, fixed))) < 0;
    }
  }
}

function satisfiesSet(version: Version, set: string): boolean {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set);
  if (hyphen) return satisfiesComparator(version, `>=${hyphen[1]}`) && satisfiesComparator(version, `<=${hyphen[2]}`);
  // Glue operators to their versions (`>= 10` → `>=10`), then every comparator must hold.
  const comparators = set.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
  return comparators.length === 0 || comparators.every((comparator) => satisfiesComparator(version, comparator));
}

export function satisfiesNodeRange(versionText: string, range: string): boolean {
  const version = filled(partial(versionText));
  return range.split('||').some((set) => satisfiesSet(version, set.trim()));
}
