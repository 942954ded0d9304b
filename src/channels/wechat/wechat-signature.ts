import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The signature WeChat puts on every request to the server URL (the `signature` query parameter): the SHA-1,
 * in hex, of the token, timestamp and nonce sorted as strings and joined (the Official Account "access
 * overview": 1. sort token, timestamp, nonce in dictionary order; 2. join them and SHA-1 the string).
 */
export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

/** Whether a request carries WeChat's signature for our token; compared in constant time. No token: never. */
export function isWeChatSigned(token: string | undefined, query: { signature?: unknown; timestamp?: unknown; nonce?: unknown }): boolean {
  const { signature, timestamp, nonce } = query;
  if (!token || typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') return false;
  if (!/^[0-9a-f]{40}$/i.test(signature) || timestamp.length > 20 || nonce.length > 64) return false;
  return timingSafeEqual(Buffer.from(wechatSignature(token, timestamp, nonce), 'hex'), Buffer.from(signature, 'hex'));
}
