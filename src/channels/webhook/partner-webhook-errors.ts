import { maskPersonalData } from '../../common/mask';
import type { SendResult } from '../channel-adapter';
import { describeFetchError, parseRetryAfterMs } from '../twilio/retry-after';

export type PartnerFailure =
  | { kind: 'network'; error: unknown }
  | { kind: 'http'; status: number; retryAfter?: string | null; body?: string };

export type FailedWebhook = Extract<SendResult, { outcome: 'retryable' | 'permanent' }>;

/**
 * Classifies a partner's answer (pure). No answer, 408, 429 and 5xx → retryable (Retry-After honoured); any other
 * non-2xx → permanent. 401/403 is permanent too, with a message that says so: one partner refusing us is that
 * partner's configuration problem and must never pause the channel for every other partner. Redirects are not
 * followed (a POST must not silently become a GET elsewhere): configure the final URL.
 */
export function classifyPartnerFailure(partner: string, failure: PartnerFailure, now: number = Date.now()): FailedWebhook {
  if (failure.kind === 'network') {
    const { code, message } = describeFetchError(failure.error);
    return { outcome: 'retryable', code, message: `partner ${partner}: ${message}` };
  }
  const { status } = failure;
  const code = `http-${status}`;
  const said = failure.body ? `: ${maskPersonalData(failure.body.slice(0, 200))}` : '';
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfterMs(failure.retryAfter, now);
    return { outcome: 'retryable', code, message: `partner ${partner} answered HTTP ${status}${said}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status === 401 || status === 403) {
    return {
      outcome: 'permanent',
      code: 'partner-auth-rejected',
      message: `partner ${partner} refused the request (HTTP ${status}): check the secret and URL agreed with this partner${said}`,
    };
  }
  if (status >= 300 && status < 400) {
    return { outcome: 'permanent', code, message: `partner ${partner} redirected (HTTP ${status}); configure its final URL` };
  }
  return { outcome: 'permanent', code, message: `partner ${partner} rejected the webhook (HTTP ${status})${said}` };
}
