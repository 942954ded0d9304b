/** Nearest-rank percentile of `values` (0 < p ≤ 100); NaN for an empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
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
  const every = options.everyMs ?? 200;
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
