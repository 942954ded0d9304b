/** The longest wait a provider's Retry-After may impose on one message; beyond it the normal backoff decides. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * Reads an HTTP Retry-After header (RFC 9110: delay-seconds or an HTTP-date) as milliseconds from `now`.
 * Returns undefined when absent or unreadable; a date in the past gives 0. Shared by the HTTP adapters.
 */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP-date always names a month ("Tue, 01 Dec 2026 10:00:00 GMT"); Date.parse would read "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** What a failed fetch was: our own timeout (AbortSignal.timeout) or a network problem (refused, reset, DNS). */
export function describeFetchError(error: unknown): { code: 'timeout' | 'network-error'; message: string } {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return { code: 'timeout', message: 'no answer within the provider timeout' };
  }
  const cause = err?.cause;
  const detail = cause?.code ?? cause?.message ?? err?.message ?? String(error);
  return { code: 'network-error', message: `request failed: ${detail}` };
}
