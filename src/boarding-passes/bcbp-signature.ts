import { createHash, createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import { decodeBcbp } from './bcbp-decoder';
import { BcbpInputError } from './bcbp-errors';
import { writeItems } from './bcbp-fields';
import { SECURITY_BEGINNING, SECURITY_HEADER, toHexSize } from './bcbp-layout';

/** Item 'Type of Security Data' we write: ECDSA P-256 / SHA-256, signature as below. */
export const BCBP_SECURITY_TYPE = '1';

/**
 * Signature encoding: IEEE P1363 (r || s, always 64 bytes for P-256), base64 → always 88 characters.
 * Chosen over DER because DER varies from 70 to 72 bytes (up to 96 base64 characters): a fixed length
 * keeps every signed pass the same QR version, and 88 stays within the 100 characters the standard
 * allows for security data.
 */
const DSA_ENCODING = 'ieee-p1363';
const P1363_P256_BYTES = 64;
const P256 = 'prime256v1';

/** Parses and checks a P-256 private key once, so a service can keep the KeyObject. */
export function loadBcbpSigningKey(key: string | KeyObject): KeyObject {
  const keyObject = typeof key === 'string' ? createPrivateKey(key) : key;
  assertP256(keyObject, 'private');
  return keyObject;
}

/** Appends the security section signing every character of `bcbp` (which must not be signed yet). */
export function signBcbp(bcbp: string, privateKey: string | KeyObject): string {
  if (decodeBcbp(bcbp).security) throw new BcbpInputError('the BCBP already carries security data', 'bcbp');
  const key = loadBcbpSigningKey(privateKey);
  // RFC 6979 deterministic ECDSA: the same pass always carries the same signature, so a boarding pass
  // re-generated for a retry or a download is byte-for-byte the one the passenger already has.
  // (node:crypto signs with a random nonce.) Verification stays standard ECDSA.
  const scalar = Buffer.from(key.export({ format: 'jwk' }).d as string, 'base64url');
  const digest = createHash('sha256').update(Buffer.from(bcbp, 'latin1')).digest();
  const signature = Buffer.from(p256.sign(digest, scalar, { prehash: false }).toCompactRawBytes()).toString('base64');
  const header = writeItems(SECURITY_HEADER, {
    securityBeginning: SECURITY_BEGINNING,
    securityType: BCBP_SECURITY_TYPE,
    securityLength: toHexSize(signature.length),
  });
  return bcbp + header + signature;
}

/**
 * True when the security data is our type and a valid signature of everything before the '^'.
 * False for a missing, foreign or wrong signature (tampered data); a string that is not BCBP at all
 * throws BcbpFormatError, as from decodeBcbp.
 */
export function verifyBcbpSignature(bcbp: string, publicKey: string | KeyObject): boolean {
  const security = decodeBcbp(bcbp).security;
  if (!security || security.type !== BCBP_SECURITY_TYPE) return false;
  const signature = Buffer.from(security.data, 'base64');
  if (signature.length !== P1363_P256_BYTES) return false;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  assertP256(key, 'public');
  const signed = Buffer.from(bcbp.slice(0, security.signedLength), 'latin1');
  return verify('sha256', signed, { key, dsaEncoding: DSA_ENCODING }, signature);
}

function assertP256(key: KeyObject, kind: 'private' | 'public'): void {
  // createPublicKey also accepts a private key; it then yields the public half, which is fine.
  if (kind === 'private' && key.type !== 'private') throw new BcbpInputError('not a private key', 'signingKey');
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== P256) {
    throw new BcbpInputError('BCBP security data needs an ECDSA P-256 (prime256v1) key', 'signingKey');
  }
}
