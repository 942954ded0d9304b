import { createHash } from 'node:crypto';
import type { ParkedBody } from '../vocabulary/parked-event';

/** What an oversize event keeps: enough to recognise it, never the whole body (that is what made it harmful). */
export const PARKED_PREFIX_BYTES = 4096;

export type { ParkedBody };

/**
 * Cuts a body larger than `maxBytes` down to its prefix. `subarray` shares memory with the message, so
 * nothing as large as the body is ever copied: not into a query parameter, not into a dead-letter copy.
 */
export function parkedBody(body: Buffer, maxBytes: number): ParkedBody {
  const truncated = body.length > maxBytes;
  return {
    stored: truncated ? Buffer.from(body.subarray(0, PARKED_PREFIX_BYTES)) : body,
    size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    truncated,
  };
}

const KEY = Buffer.from('"bookingReference"');
const VALUE = /^\s*:\s*"([A-Za-z0-9]{6})"/;
/** Occurrences of the key looked at before giving up (a hostile body may repeat it). */
const MAX_TRIES = 16;

/**
 * The booking a raw event body names, if it names one, so that erasing the booking can find it even when
 * the body is not valid JSON or was cut to a prefix. Searches bytes (no decoding, no parsing of the whole).
 */
export function bookingReferenceOf(body: Buffer): string | undefined {
  let at = body.indexOf(KEY);
  for (let tries = 0; at >= 0 && tries < MAX_TRIES; tries++) {
    const after = body.subarray(at + KEY.length, at + KEY.length + 64).toString('latin1');
    const match = VALUE.exec(after);
    if (match) return match[1].toUpperCase();
    at = body.indexOf(KEY, at + KEY.length);
  }
  return undefined;
}
