import { maskPersonalData, maskPhone } from '../../common/mask';
import type { SendResult } from '../channel-adapter';
import type { GraphApiError } from '../whatsapp/whatsapp-errors';

/**
 * Messenger's Send API answers errors in the Graph API's shape (the same `error` object as the WhatsApp Cloud
 * API: message, type, code, error_subcode, fbtrace_id). Codes and their meaning, from Meta's documentation:
 * - Graph API, Handling Errors (developers.facebook.com/docs/graph-api/guides/error-handling): 1 API unknown and
 *   2 API service ("temporary issue due to downtime, wait and retry"), 4 API too many calls and 17 API user too
 *   many calls ("temporary issue due to throttling"), 10 API permission denied, 190 access token expired,
 *   200-299 API permission.
 * - Graph API, Rate Limiting (developers.facebook.com/docs/graph-api/overview/rate-limiting): 32 Page-level
 *   throttling, 613 "Calls to this api have exceeded the rate limit".
 * - Messenger Platform, Common Error Codes (developers.facebook.com/documentation/business-messaging/messenger-platform/error-codes)
 *   and Send API error codes (developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes):
 *   1200 "Temporary send message failure. Please try again later", 551 "This person isn't available right now",
 *   100/2018001 "No matching user found", 10/2018278 "This message is sent outside of allowed window", 190
 *   "Invalid OAuth access token".
 */
export type { GraphApiError };

/** What went wrong with one request to the Graph API, before it is judged. */
export type MessengerFailure =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'network'; message: string }
  /** Any non-2xx answer; `error` when the body was a Graph API error, `retryAfterMs` from a Retry-After header. */
  | { kind: 'http'; status: number; error?: GraphApiError; retryAfterMs?: number; bodyText?: string }
  /** A 2xx answer we cannot use (no message id): Meta may have taken the message, so it is never resent blindly. */
  | { kind: 'bad-response'; status: number; bodyText: string };

/** The free-form message came after the 24-hour window had closed (code 10, subcode 2018278). */
export const OUTSIDE_WINDOW = { code: 10, subcode: 2018278 } as const;

/** Throttling and Meta-side trouble: worth another try later. */
const RETRYABLE_CODES = new Set([
  1, // API unknown: possibly downtime
  2, // API service: temporary downtime
  4, // application request limit
  17, // user request limit
  32, // Page request limit
  613, // calls to this API have exceeded the rate limit
  1200, // temporary send message failure
]);

/** Our Page access token was refused: nothing on this channel can go out until a person replaces it. */
const PAUSE_CODES = new Set([
  190, // invalid or expired OAuth access token
]);

/**
 * The person cannot be reached by this message: retrying it will not help. 10 (outside the allowed window,
 * or a permission the message type needs), 200-299 (permissions for this person: not a tester of an app in
 * development, messaging turned off), 551 (the person is not available), 100 (invalid parameter, no matching user).
 */
const RECIPIENT_CODES = new Set([10, 100, 551]);

/** Masks personal data in provider text, including PSIDs (long runs of digits the shared masker leaves alone). */
export function maskMessengerText(text: string): string {
  return maskPersonalData(text).replace(/(?<![\d*+])\d{8,}(?!\d)/g, maskPhone);
}

/**
 * Judges a failed Graph API request. Pure: the same failure always gets the same answer. The provider's code
 * (with its subcode, "10/2018278") and text stay in the result, personal data masked, so the timeline shows them.
 */
export function classifyMessengerFailure(failure: MessengerFailure): SendResult {
  switch (failure.kind) {
    case 'timeout':
      return { outcome: 'retryable', code: 'timeout', message: `Messenger did not answer within ${failure.timeoutMs} ms` };
    case 'network':
      return { outcome: 'retryable', code: 'network', message: maskMessengerText(`cannot reach Messenger: ${failure.message}`) };
    case 'bad-response':
      return {
        outcome: 'permanent',
        code: 'bad-response',
        message: maskMessengerText(`Messenger answered HTTP ${failure.status} without a message id: ${failure.bodyText.slice(0, 200)}`),
      };
    case 'http':
      return classifyHttp(failure);
  }
}

function classifyHttp(failure: Extract<MessengerFailure, { kind: 'http' }>): SendResult {
  const { status, error, retryAfterMs } = failure;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const subcode = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined;
  const resultCode = code === undefined ? `http-${status}` : subcode === undefined ? String(code) : `${code}/${subcode}`;
  const message = describe(failure);
  const later = retryAfterMs !== undefined ? { retryAfterMs } : {};

  if (code !== undefined && PAUSE_CODES.has(code)) return { outcome: 'paused', code: resultCode, message };
  if (code !== undefined && RETRYABLE_CODES.has(code)) return { outcome: 'retryable', code: resultCode, message, ...later };
  if (code !== undefined && (RECIPIENT_CODES.has(code) || (code >= 200 && code <= 299))) return { outcome: 'permanent', code: resultCode, message };
  // A 401 without a Graph error is still our credentials; other unknown codes: Meta's own hint, then the HTTP class.
  if (status === 401) return { outcome: 'paused', code: resultCode, message };
  if (status === 429 || status >= 500 || error?.is_transient === true) return { outcome: 'retryable', code: resultCode, message, ...later };
  return { outcome: 'permanent', code: resultCode, message };
}

/** Whether Meta refused a free-form message because the 24-hour window had closed (then the template goes instead). */
export function isOutsideWindow(failure: MessengerFailure): boolean {
  return failure.kind === 'http' && failure.error?.code === OUTSIDE_WINDOW.code && failure.error.error_subcode === OUTSIDE_WINDOW.subcode;
}

/** "Messenger 551 (HTTP 400): This person isn't available right now [fbtrace_id …]". */
function describe(failure: Extract<MessengerFailure, { kind: 'http' }>): string {
  const { status, error } = failure;
  const code = typeof error?.code === 'number' ? ` ${error.code}` : '';
  const subcode = typeof error?.error_subcode === 'number' ? `/${error.error_subcode}` : '';
  const text = error?.message ?? (failure.bodyText ? failure.bodyText.slice(0, 200) : 'no error body');
  const trace = error?.fbtrace_id ? ` [fbtrace_id ${error.fbtrace_id}]` : '';
  return maskMessengerText(`Messenger${code}${subcode} (HTTP ${status}): ${text}${trace}`);
}
