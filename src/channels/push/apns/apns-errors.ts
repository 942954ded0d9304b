import type { DeviceOutcome } from '../device-outcome';

/** Reasons that mean the token is dead (https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns). */
const DEAD_TOKEN = new Set(['Unregistered', 'ExpiredToken', 'BadDeviceToken']);
/** The provider token was refused as stale or unreadable: mint a new one, once. */
const STALE_PROVIDER_TOKEN = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);
/** Our key, certificate or topic is refused: every send would fail the same way until a person acts. */
const PAUSE = new Set(['BadCertificate', 'BadCertificateEnvironment', 'Forbidden', 'MissingProviderToken', 'BadTopic', 'MissingTopic', 'TopicDisallowed']);

/**
 * Judges one APNs answer that was not 200: 410 Unregistered / ExpiredToken and 400 BadDeviceToken remove the
 * device; 403 ExpiredProviderToken / InvalidProviderToken refresh the provider token (then pause); the other 403s
 * and a refused topic pause the channel; 429 (TooManyRequests, TooManyProviderTokenUpdates) and 5xx are tried
 * again later; anything else (DeviceTokenNotForTopic, PayloadTooLarge, a bad header) fails for this device only.
 */
export function classifyApnsError(status: number, reason: string | undefined, retryAfterMs?: number): DeviceOutcome {
  const code = reason ?? `http-${status}`;
  const message = `APNs ${status} ${code}`;
  if ((status === 410 || status === 400) && reason && DEAD_TOKEN.has(reason)) return { kind: 'removed', code, message };
  if (status === 410) return { kind: 'removed', code, message };
  if (status === 403 && reason && STALE_PROVIDER_TOKEN.has(reason)) return { kind: 'expired-credential', code, message };
  if (status === 403 || (reason && PAUSE.has(reason))) return { kind: 'pause', code, message };
  if (status === 429 || status >= 500) return { kind: 'retry', code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  return { kind: 'failed', code, message };
}
