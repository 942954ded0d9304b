import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers every partner webhook carries. */
export const PARTNER_TIMESTAMP_HEADER = 'X-Notifier-Timestamp';
export const PARTNER_SIGNATURE_HEADER = 'X-Notifier-Signature';

/** hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`): the signed string binds the body to the moment it was sent. */
export function partnerSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest('hex');
}

/** The X-Notifier-Signature value: `v1=<hex>` (the version lets the scheme change without breaking partners). */
export function partnerSignatureHeader(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `v1=${partnerSignature(secret, timestamp, rawBody)}`;
}

/**
 * What a partner runs on each webhook (pure; copy it freely): true when `header` holds a v1 signature of
 * `timestamp.rawBody` under `secret` and the timestamp is within `toleranceSeconds` of `now` either way —
 * a captured request replayed later is refused. `rawBody` must be the exact bytes received, before any JSON
 * parsing. Several comma-separated signatures are accepted (so a secret can be rotated); any match is enough.
 * Comparison is constant-time.
 */
export function verifyPartnerSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: string | Buffer,
  header: string | undefined,
  now: Date | number,
  toleranceSeconds = 300,
): boolean {
  if (!timestamp || !header || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((typeof now === 'number' ? now : now.getTime()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(partnerSignature(secret, timestamp, rawBody), 'utf8');
  let valid = false;
  for (const part of header.split(',')) {
    const [version, value] = part.trim().split('=', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
