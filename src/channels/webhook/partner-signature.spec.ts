import { createHmac } from 'node:crypto';
import { partnerSignature, partnerSignatureHeader, verifyPartnerSignature } from './partner-signature';

const SECRET = 'partner-secret-0123456789';
const BODY = '{"id":"n-1","type":"gate-change","bookingReference":"ABC123"}';
const NOW = new Date('2026-12-01T10:00:00Z');
const TS = String(NOW.getTime() / 1000);

describe('partner webhook signatures', () => {
  it('signs timestamp + "." + body with HMAC-SHA256, hex, as v1=…', () => {
    const expected = createHmac('sha256', SECRET).update(`${TS}.${BODY}`).digest('hex');
    expect(partnerSignature(SECRET, TS, BODY)).toBe(expected);
    expect(partnerSignature(SECRET, TS, Buffer.from(BODY))).toBe(expected);
    expect(partnerSignatureHeader(SECRET, TS, BODY)).toBe(`v1=${expected}`);
  });

  it('accepts a fresh, correct signature (string or Buffer body, Date or epoch-ms now)', () => {
    const header = partnerSignatureHeader(SECRET, TS, BODY);
    expect(verifyPartnerSignature(SECRET, TS, BODY, header, NOW)).toBe(true);
    expect(verifyPartnerSignature(SECRET, TS, Buffer.from(BODY), header, NOW.getTime())).toBe(true);
  });

  it('rejects a stale or future timestamp beyond the tolerance (replays)', () => {
    const header = partnerSignatureHeader(SECRET, TS, BODY);
    expect(verifyPartnerSignature(SECRET, TS, BODY, header, new Date(NOW.getTime() + 300_000))).toBe(true);
    expect(verifyPartnerSignature(SECRET, TS, BODY, header, new Date(NOW.getTime() + 301_000))).toBe(false);
    expect(verifyPartnerSignature(SECRET, TS, BODY, header, new Date(NOW.getTime() - 301_000))).toBe(false);
    expect(verifyPartnerSignature(SECRET, TS, BODY, header, new Date(NOW.getTime() + 60_000), 30)).toBe(false);
  });

  it('rejects a changed body, another secret, a signature moved to another timestamp, or garbage', () => {
    const header = partnerSignatureHeader(SECRET, TS, BODY);
    expect(verifyPartnerSignature(SECRET, TS, `${BODY} `, header, NOW)).toBe(false);
    expect(verifyPartnerSignature('another-secret-0123456789', TS, BODY, header, NOW)).toBe(false);
    const later = String(Number(TS) + 10);
    expect(verifyPartnerSignature(SECRET, later, BODY, header, NOW)).toBe(false);
    expect(verifyPartnerSignature(SECRET, TS, BODY, undefined, NOW)).toBe(false);
    expect(verifyPartnerSignature(SECRET, undefined, BODY, header, NOW)).toBe(false);
    expect(verifyPartnerSignature(SECRET, '1.5e9', BODY, header, NOW)).toBe(false);
    expect(verifyPartnerSignature(SECRET, TS, BODY, header.replace('v1=', 'v0='), NOW)).toBe(false);
    expect(verifyPartnerSignature(SECRET, TS, BODY, 'v1=abc', NOW)).toBe(false);
    expect(verifyPartnerSignature(SECRET, TS, BODY, 'v1=', NOW)).toBe(false);
  });

  it('accepts any one of several signatures (secret rotation)', () => {
    const header = `${partnerSignatureHeader('old-secret-0123456789', TS, BODY)}, ${partnerSignatureHeader(SECRET, TS, BODY)}`;
    expect(verifyPartnerSignature(SECRET, TS, BODY, header, NOW)).toBe(true);
  });
});
