import { maskPersonalData } from '../../../common/mask';
import type { DeviceOutcome } from '../device-outcome';

/**
 * FCM HTTP v1's error body (google.rpc.Status): `{"error": {"code": 404, "status": "NOT_FOUND", "message": "…",
 * "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}}`.
 */
export interface FcmErrorBody {
  error?: {
    code?: number;
    status?: string;
    message?: string;
    details?: { '@type'?: string; errorCode?: string; fieldViolations?: { field?: string; description?: string }[] }[];
  };
}

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

/**
 * Judges one messages:send answer that was not a success (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode):
 * UNREGISTERED (404) — the token is no longer valid: the device goes; INVALID_ARGUMENT naming the token — the
 * same; QUOTA_EXCEEDED (429), UNAVAILABLE (503), INTERNAL (500) — later, after Retry-After;
 * THIRD_PARTY_AUTH_ERROR (401: the APNs credentials in the Firebase project), SENDER_ID_MISMATCH (403) and
 * PERMISSION_DENIED — the project or credentials: pause with an alarm; UNAUTHENTICATED (401 without an FCM code) —
 * our access token was refused: refreshed once, then paused. Anything else fails for this device only.
 */
export function classifyFcmError(status: number, body: FcmErrorBody | undefined, retryAfterMs?: number): DeviceOutcome {
  const error = body?.error;
  const fcmCode = error?.details?.find((d) => d['@type'] === FCM_ERROR_TYPE)?.errorCode;
  const code = fcmCode ?? error?.status ?? `http-${status}`;
  const message = maskPersonalData(`FCM ${code} (HTTP ${status}): ${error?.message ?? 'no error body'}`.slice(0, 300));
  const retry = (): DeviceOutcome => ({ kind: 'retry', code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

  switch (fcmCode) {
    case 'UNREGISTERED':
      return { kind: 'removed', code, message };
    case 'QUOTA_EXCEEDED':
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return retry();
    case 'THIRD_PARTY_AUTH_ERROR':
    case 'SENDER_ID_MISMATCH':
      return { kind: 'pause', code, message };
    case 'INVALID_ARGUMENT':
      // "The registration token is not a valid FCM registration token" (the FcmError form of a bad token).
      return /registration token/i.test(error?.message ?? '') ? { kind: 'removed', code, message } : { kind: 'failed', code, message };
  }
  if (namesTheToken(body)) return { kind: 'removed', code, message };
  if (status === 404) return { kind: 'removed', code, message };
  if (status === 401 || error?.status === 'UNAUTHENTICATED') return { kind: 'expired-credential', code, message };
  if (status === 403 || error?.status === 'PERMISSION_DENIED') return { kind: 'pause', code, message };
  if (status === 429 || status >= 500) return retry();
  return { kind: 'failed', code, message };
}

/** A google.rpc.BadRequest whose field violation is `message.token`: the token itself is malformed. */
function namesTheToken(body: FcmErrorBody | undefined): boolean {
  return (body?.error?.details ?? []).some((d) => d['@type'] === BAD_REQUEST_TYPE && (d.fieldViolations ?? []).some((v) => v.field === 'message.token'));
}
