import { generateKeyPairSync } from 'node:crypto';
import { decodeBcbp } from './bcbp-decoder';
import { encodeBcbp } from './bcbp-encoder';
import { BcbpInputError } from './bcbp-errors';
import { BCBP_SECURITY_TYPE, loadBcbpSigningKey, signBcbp, verifyBcbpSignature } from './bcbp-signature';
import { sampleBoardingPassData } from './boarding-pass.sample';

function p256(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

describe('BCBP security data', () => {
  const keys = p256();
  const unsigned = encodeBcbp(sampleBoardingPassData());
  const signed = signBcbp(unsigned, keys.privateKey);

  it('appends ^, type 1, a hex length and base64 P1363 signature after the unchanged data', () => {
    expect(signed.startsWith(unsigned)).toBe(true);
    const security = signed.slice(unsigned.length);
    expect(security[0]).toBe('^');
    expect(security[1]).toBe(BCBP_SECURITY_TYPE);
    expect(security.slice(2, 4)).toBe('58'); // 88 characters: 64 bytes in base64
    expect(security.slice(4)).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(Buffer.from(security.slice(4), 'base64')).toHaveLength(64);
  });

  it('still decodes, with the security data reported', () => {
    const decoded = decodeBcbp(signed);
    expect(decoded.security).toEqual({ type: '1', data: signed.slice(unsigned.length + 4), signedLength: unsigned.length });
    expect(decoded.legs[0].seat).toBe('012A');
  });

  it('verifies with the public key (PEM or private PEM)', () => {
    expect(verifyBcbpSignature(signed, keys.publicKey)).toBe(true);
    expect(verifyBcbpSignature(signed, keys.privateKey)).toBe(true);
  });

  it('detects tampering with the data', () => {
    const seat = signed.indexOf('012A');
    const tampered = `${signed.slice(0, seat)}001A${signed.slice(seat + 4)}`;
    expect(decodeBcbp(tampered).legs[0].seat).toBe('001A');
    expect(verifyBcbpSignature(tampered, keys.publicKey)).toBe(false);
  });

  it('detects tampering with the signature', () => {
    // A character in the middle: the last one before '==' partly holds padding bits.
    const at = unsigned.length + 4 + 40;
    const flipped = `${signed.slice(0, at)}${signed[at] === 'A' ? 'B' : 'A'}${signed.slice(at + 1)}`;
    expect(verifyBcbpSignature(flipped, keys.publicKey)).toBe(false);
  });

  it('rejects a signature made with another key', () => {
    expect(verifyBcbpSignature(signed, p256().publicKey)).toBe(false);
  });

  it('reports no valid signature on an unsigned pass', () => {
    expect(verifyBcbpSignature(unsigned, keys.publicKey)).toBe(false);
  });

  it('signs with a parsed KeyObject too, and deterministically (RFC 6979): same pass, same signature', () => {
    const key = loadBcbpSigningKey(keys.privateKey);
    const again = signBcbp(unsigned, key);
    expect(again).toBe(signed);
    expect(verifyBcbpSignature(again, keys.publicKey)).toBe(true);
    const other = signBcbp(encodeBcbp({ ...sampleBoardingPassData(), passenger: { surname: 'Other', givenName: 'Pass' } }), key);
    expect(other.slice(-88)).not.toBe(signed.slice(-88));
  });

  it('refuses keys that are not P-256 private keys', () => {
    const p384 = generateKeyPairSync('ec', {
      namedCurve: 'secp384r1',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => signBcbp(unsigned, p384.privateKey)).toThrow(BcbpInputError);
    expect(() => loadBcbpSigningKey(keys.publicKey)).toThrow();
  });

  it('refuses to sign twice', () => {
    expect(() => signBcbp(signed, keys.privateKey)).toThrow(/already/);
  });
});
