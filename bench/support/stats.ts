/** Nearest-rank percentile of `values` (0 < p ≤ 100); NaN for an empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * From event times (ms): the rate between the 10th and 90th percentile, which leaves out a start-up burst
 * and a tail, and the most events in any sliding one-second window.
 */
export function steadyRate(timesMs: number[]): { perSecond: number; busiestSecond: number } {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const perSecond = (0.8 * sorted.length) / ((percentile(sorted, 90) - percentile(sorted, 10)) / 1000);
  let busiestSecond = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    busiestSecond = Math.max(busiestSecond, last - first + 1);
  }
  return { perSecond, busiestSecond };
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** What was measured, e.g. "cancellation published → last passenger delivered". */
  of: string;
}

export function latency(valuesMs: number[], of: string): Latency {
  return {
    p50: percentile(valuesMs, 50),
    p95: percentile(valuesMs, 95),
    p99: percentile(valuesMs, 99),
    max: valuesMs.length ? Math.max(...valuesMs) : NaN,
    of,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it reports done, or until it has made no progress for `stallMs` (then returns
 * anyway: a benchmark reports what happened rather than hanging).
 */
export async function waitUntil(
  probe: () => Promise<{ done: boolean; progress: number }>,
  options: { everyMs?: number; stallMs?: number } = {},
): Promise<{ done: boolean; progress: number }> {
  // Once a second: the probe scans the notifications table, and at 5 a second it was a tenth of PostgreSQL's
  // time in the storm (pg_stat_statements). Figures come from the rows' own timestamps, not from when it looked.
  const every = options.everyMs ?? 1_000;
  const stall = options.stallMs ?? 60_000;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const state = await probe();
    if (state.done) return state;
    if (state.progress !== last) {
      last = state.progress;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stall) {
      return state;
    }
    await sleep(every);
  }
}
