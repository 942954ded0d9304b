import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The X-Hub-Signature-256 value Meta sends with a webhook: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. */
export function webhookSignature(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Checks a webhook's signature over the exact bytes received, in constant time. No secret or no body: never valid. */
export function isValidWebhookSignature(rawBody: Buffer | undefined, header: string | undefined, appSecret: string | undefined): boolean {
  if (!appSecret || !rawBody || typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** Compares two secrets without telling by timing how much of them matched (digests make the lengths equal). */
export function secretsEqual(given: string | undefined, expected: string | undefined): boolean {
  if (typeof given !== 'string' || typeof expected !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Meta's webhook subscription handshake (WhatsApp and Messenger alike): the challenge to echo when the request
 * subscribes with our verify token; undefined otherwise.
 */
export function subscriptionChallenge(mode: unknown, token: unknown, challenge: unknown, verifyToken: string | undefined): string | undefined {
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || challenge.length > 1024) return undefined;
  return secretsEqual(token, verifyToken) ? challenge : undefined;
}
