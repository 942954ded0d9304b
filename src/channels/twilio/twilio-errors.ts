import { maskPersonalData, maskPhone } from '../../common/mask';
import type { SendResult } from '../channel-adapter';
import { describeFetchError, parseRetryAfterMs } from './retry-after';

/** How a call to Twilio's Messages API went wrong: no HTTP answer at all, or an error answer. */
export type TwilioFailure =
  | { kind: 'network'; error: unknown }
  | {
      kind: 'http';
      status: number;
      /** Twilio's error code from the JSON body ({code, message, more_info, status}), when there is one. */
      code?: number;
      message?: string;
      retryAfter?: string | null;
    };

export type FailedSend = Extract<SendResult, { outcome: 'retryable' | 'permanent' | 'paused' }>;

/** Errors about the recipient that no retry can fix (Twilio error dictionary). */
export const PERMANENT_TWILIO_CODES: Readonly<Record<number, string>> = {
  21211: "invalid 'To' phone number",
  21408: 'sending to this region is not enabled on the account',
  21610: 'recipient has unsubscribed (replied STOP)',
  21612: "'To' number is not reachable via SMS from this sender",
  21614: "'To' number is not a mobile number",
};

/** Our credentials were refused: every further message would be refused too, so the channel pauses. */
const AUTH_TWILIO_CODES = new Set([20003]);
/** Too many requests / concurrency limit. */
const RATE_LIMIT_TWILIO_CODES = new Set([20429, 14107]);

/**
 * Classifies a failed Messages API call (pure, so every rule is in the spec):
 * - no answer (network error, timeout), 5xx, HTTP 429 or code 20429 → retryable, honouring Retry-After;
 * - 20003 or HTTP 401 → paused (credentials refused; an operator must fix them);
 * - 21211, 21408, 21610, 21612, 21614 and any other 4xx → permanent.
 * Provider messages can quote the phone number, so they are masked.
 */
export function classifyTwilioFailure(failure: TwilioFailure, now: number = Date.now()): FailedSend {
  if (failure.kind === 'network') return { outcome: 'retryable', ...describeFetchError(failure.error) };
  const { status, code } = failure;
  const label = code !== undefined ? String(code) : `http-${status}`;
  const text = maskNumbers(maskPersonalData(failure.message ?? `HTTP ${status}`));
  if (status === 401 || (code !== undefined && AUTH_TWILIO_CODES.has(code))) {
    return { outcome: 'paused', code: label, message: `Twilio refused our credentials: ${text}` };
  }
  if (status === 429 || (code !== undefined && RATE_LIMIT_TWILIO_CODES.has(code))) {
    const retryAfterMs = parseRetryAfterMs(failure.retryAfter, now);
    return { outcome: 'retryable', code: label, message: `rate limited: ${text}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfterMs(failure.retryAfter, now);
    return { outcome: 'retryable', code: label, message: text, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (code !== undefined && code in PERMANENT_TWILIO_CODES) {
    return { outcome: 'permanent', code: label, message: `${PERMANENT_TWILIO_CODES[code]}: ${text}` };
  }
  return { outcome: 'permanent', code: label, message: text };
}

/** Twilio quotes the number it refused, valid E.164 or not ("The 'To' number +0612… is not valid"): mask any long digit run. */
function maskNumbers(text: string): string {
  return text.replace(/(?<![\w*])\+?\d{7,15}(?!\w)/g, (digits) => maskPhone(digits));
}

/** Twilio's delivery error codes (StatusCallback ErrorCode for undelivered / failed), for the timeline. */
export const TWILIO_DELIVERY_ERRORS: Readonly<Record<string, string>> = {
  '30001': 'queue overflow',
  '30002': 'account suspended',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'message filtered by the carrier',
  '30008': 'unknown error',
  '21610': 'recipient has unsubscribed (replied STOP)',
};
