import { maskPersonalData, maskPhone } from '../../common/mask';
import type { SendResult } from '../channel-adapter';

/**
 * The `error` object of a Graph API error response (the spec's GraphAPIError), as the Cloud API sends it:
 * `{"error": {"message": "(#131026) Message undeliverable", "type": "OAuthException", "code": 131026,
 *   "error_data": {"messaging_product": "whatsapp", "details": "..."}, "fbtrace_id": "..."}}`.
 */
export interface GraphApiError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details?: string };
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

/** What went wrong with one request to the Cloud API, before it is judged. */
export type WhatsAppFailure =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'network'; message: string }
  /** Any non-2xx answer; `error` when the body was a Graph API error, `retryAfterMs` from a Retry-After header. */
  | { kind: 'http'; status: number; error?: GraphApiError; retryAfterMs?: number; bodyText?: string }
  /** A 2xx answer we cannot use (no message id): the provider may have taken the message, so never resend blindly. */
  | { kind: 'bad-response'; status: number; bodyText: string };

/**
 * Codes the dispatcher turns permanent once the notification has used this many attempts. 131049 (Meta
 * chose not to deliver, to keep the ecosystem healthy) is worth a retry later, but not forever. The
 * retryable result carries it as `giveUpAfterAttempts`.
 */
export const PERMANENT_AFTER_RETRIES: Readonly<Record<string, number>> = Object.freeze({ '131049': 3 });

/** Meta's pair rate limit: about one message every 6 seconds to the same WhatsApp user. */
export const DEFAULT_PAIR_INTERVAL_MS = 6_000;

/** Our credentials or the business account itself were refused: nothing on this channel can go out until a person acts. */
const PAUSE_CODES = new Set([
  0, // AuthException: token expired, invalidated or the app de-authorised
  10, // permission denied (whatsapp_business_messaging not granted or removed)
  190, // access token expired
  131031, // business account locked
  131042, // business eligibility: payment issue
  133010, // phone number not registered on the Cloud API
]);

/** Worth another try later: throughput limits and Meta-side trouble. */
const RETRYABLE_CODES = new Set([
  1, // API unknown
  2, // API service
  4, // application request limit
  80007, // WABA rate limit
  130429, // throughput rate limit (messages per second of the phone number)
  131000, // something went wrong (generic)
  131016, // service unavailable
  131048, // spam rate limit
  131049, // ecosystem limit: permanent after PERMANENT_AFTER_RETRIES attempts (the dispatcher decides)
  133004, // server temporarily unavailable
]);

/** Will never work as sent: the recipient, the template or the content is the problem. */
const PERMANENT_CODES = new Set([
  100, // invalid parameter (bad recipient number, bad field)
  368, // temporarily blocked for policy violations
  131008, // required parameter missing
  131009, // parameter value not valid
  131021, // recipient cannot be the sender
  131026, // message undeliverable (not a WhatsApp user, old app, terms not accepted …)
  131047, // re-engagement: more than 24 hours since the user last wrote (free-form outside the window)
  131050, // user stopped marketing messages
  131051, // unsupported message type
  131052, // media download error
  131053, // media upload error
  132000, // template parameter count mismatch
  132001, // template does not exist in that language
  132005, // template hydrated text too long
  132007, // template format character policy violated
  132012, // template parameter format mismatch
  132015, // template paused for low quality
  132016, // template disabled
  132068, // flow blocked
  132069, // flow throttled
]);

const PAIR_RATE_LIMIT = 131056;

/**
 * Masks personal data in provider text, including WhatsApp ids (phone numbers without '+', which the
 * shared masker does not recognise).
 */
export function maskProviderText(text: string): string {
  return maskPersonalData(text).replace(/(?<![\d+*])\d{8,15}(?!\d)/g, maskPhone);
}

/** Seconds or an HTTP date, as a Retry-After header may say; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Judges a failed Cloud API request. Pure: the same failure always gets the same answer.
 * The provider's code and text stay in the result (personal data masked) so the timeline shows them.
 */
export function classifyWhatsAppFailure(failure: WhatsAppFailure, options: { pairIntervalMs?: number } = {}): SendResult {
  switch (failure.kind) {
    case 'timeout':
      return { outcome: 'retryable', code: 'timeout', message: `WhatsApp did not answer within ${failure.timeoutMs} ms` };
    case 'network':
      return { outcome: 'retryable', code: 'network', message: maskProviderText(`cannot reach WhatsApp: ${failure.message}`) };
    case 'bad-response':
      return {
        outcome: 'permanent',
        code: 'bad-response',
        message: maskProviderText(`WhatsApp answered HTTP ${failure.status} without a message id: ${failure.bodyText.slice(0, 200)}`),
      };
    case 'http':
      return classifyHttp(failure, options.pairIntervalMs ?? DEFAULT_PAIR_INTERVAL_MS);
  }
}

function classifyHttp(failure: Extract<WhatsAppFailure, { kind: 'http' }>, pairIntervalMs: number): SendResult {
  const { status, error, retryAfterMs } = failure;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const resultCode = code !== undefined ? String(code) : `http-${status}`;
  const message = describe(failure);

  if (code === PAIR_RATE_LIMIT) {
    // Even with our own spacing switched off (0), Meta's limit stands: never come back sooner than it.
    const wait = pairIntervalMs > 0 ? pairIntervalMs : DEFAULT_PAIR_INTERVAL_MS;
    return { outcome: 'deferred', reason: `${resultCode}: ${message}`, retryAfterMs: Math.max(retryAfterMs ?? 0, wait) };
  }
  if (status === 401 || (code !== undefined && (PAUSE_CODES.has(code) || (code >= 200 && code <= 299)))) {
    return { outcome: 'paused', code: resultCode, message };
  }
  if (code !== undefined && RETRYABLE_CODES.has(code)) {
    const giveUpAfterAttempts = PERMANENT_AFTER_RETRIES[resultCode];
    return {
      outcome: 'retryable',
      code: resultCode,
      message,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(giveUpAfterAttempts !== undefined ? { giveUpAfterAttempts } : {}),
    };
  }
  if (code !== undefined && PERMANENT_CODES.has(code)) {
    return { outcome: 'permanent', code: resultCode, message };
  }
  // Codes we do not know: trust Meta's own hint, then the HTTP class.
  if (status === 429 || status >= 500 || error?.is_transient === true) {
    return { outcome: 'retryable', code: resultCode, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { outcome: 'permanent', code: resultCode, message };
}

/** "WhatsApp 131026 (HTTP 400): Message undeliverable — details". */
function describe(failure: Extract<WhatsAppFailure, { kind: 'http' }>): string {
  const { status, error } = failure;
  const code = typeof error?.code === 'number' ? ` ${error.code}` : '';
  const subcode = typeof error?.error_subcode === 'number' ? `/${error.error_subcode}` : '';
  const text = error?.message ?? (failure.bodyText ? failure.bodyText.slice(0, 200) : 'no error body');
  const details = error?.error_data?.details ? ` — ${error.error_data.details}` : '';
  const trace = error?.fbtrace_id ? ` [fbtrace_id ${error.fbtrace_id}]` : '';
  return maskProviderText(`WhatsApp${code}${subcode} (HTTP ${status}): ${text}${details}${trace}`);
}
