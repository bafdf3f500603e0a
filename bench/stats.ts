/**
 * Summary statistics for the benchmark. Percentiles use the nearest-rank method (the value at rank
 * ceil(p × n) of the sorted samples), so a reported p99 is always a latency that was actually observed.
 */

export interface Distribution {
  readonly count: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Middle value; the mean of the two middle values for an even count. NaN for no samples. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? Number.NaN;
  return ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** Nearest-rank percentile, `p` in (0, 100]. NaN for no samples. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The largest value (NaN if one is NaN, -Infinity for none); unlike Math.max(...values), any number of them. */
export function maxOf(values: readonly number[]): number {
  return values.reduce((max, v) => Math.max(max, v), Number.NEGATIVE_INFINITY);
}

export function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    medianMs: median(values),
    p99Ms: percentile(values, 99),
    maxMs: values.length === 0 ? Number.NaN : maxOf(values),
  };
}

/** `a ÷ b`, or null when either side is missing or not a positive finite number. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/** Median wall time of `run` over `runs` timed calls, after `warmup` untimed ones. */
export function timeMedian(run: () => unknown, runs: number, warmup = 3): number {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i += 1) {
    const start = performance.now();
    run();
    if (i >= warmup) samples.push(performance.now() - start);
  }
  return median(samples);
}

/**
 * The run whose `key` is the median of all runs' (the lower middle one for an even count), so that every
 * figure reported with it comes from one real run. undefined for no runs.
 */
export function medianRun<T>(runs: readonly T[], key: (run: T) => number): T | undefined {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
