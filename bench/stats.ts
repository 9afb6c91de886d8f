/**
 * Small number helpers for the benchmarks: percentiles of latency samples and a plain-text
 * table, so figures print the same way in every bench.
 */

/** The p-th percentile (0–100) of the samples by nearest rank; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50 / p95 / p99 and the largest of a set of samples (milliseconds). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** Milliseconds with one decimal below 100, whole numbers above; "–" when there is no value. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** Bytes as megabytes with one decimal. */
export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / (1024 * 1024)).toFixed(1) : '–';
}

/** A left-aligned first column and right-aligned others, separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length);
        return column === 0 ? cell + pad : pad + cell;
      })
      .join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
