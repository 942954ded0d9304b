/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a burst of failures
 * (a provider's 5xx during a storm) does not come back as one synchronised burst.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 2_000, maxMs = 15 * 60_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
