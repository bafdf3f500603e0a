/**
 * Summary statistics. Percentiles use the nearest-rank method (the value at rank ceil(p × n) of the
 * sorted samples), so a reported p99 is always a latency that was actually observed.
 */

export interface Distribution {
  readonly count: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Middle value; the mean of the two middle values for an even count. NaN for no samples. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? Number.NaN;
  return ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** Nearest-rank percentile, `p` in (0, 100]. NaN for no samples. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? Number.NaN;
}

export function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    medianMs: median(values),
    p99Ms: percentile(values, 99),
    // reduce, not Math.max(...values): any number of values.
    maxMs: values.length === 0 ? Number.NaN : values.reduce((max, v) => Math.max(max, v), Number.NEGATIVE_INFINITY),
  };
}

/** `a ÷ b`, or null when either side is missing or not a positive finite number. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/** The run whose `key` is the median of all runs' (the lower middle one for an even count); undefined for none. */
export function medianRun<T>(runs: readonly T[], key: (run: T) => number): T | undefined {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
