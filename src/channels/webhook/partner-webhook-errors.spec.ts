import { parseRetryAfterMs } from '../twilio/retry-after';
import { classifyPartnerFailure } from './partner-webhook-errors';

const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('classifyPartnerFailure', () => {
  it('retries when the partner never answered', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyPartnerFailure('crm', { kind: 'network', error: timeout })).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyPartnerFailure('crm', { kind: 'network', error: refused })).toEqual({
      outcome: 'retryable',
      code: 'network-error',
      message: 'partner crm: request failed: ECONNREFUSED',
    });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %s, honouring Retry-After', (status) => {
    expect(classifyPartnerFailure('crm', { kind: 'http', status, retryAfter: '12' }, NOW)).toMatchObject({ outcome: 'retryable', code: `http-${status}`, retryAfterMs: 12_000 });
  });

  it('treats 401/403 as permanent with a message naming the partner, never as a pause', () => {
    for (const status of [401, 403]) {
      const result = classifyPartnerFailure('agency-x', { kind: 'http', status });
      expect(result.outcome).toBe('permanent');
      expect(result.code).toBe('partner-auth-rejected');
      expect(result.message).toContain('agency-x');
      expect(result.message).toContain(`HTTP ${status}`);
    }
  });

  it.each([400, 404, 409, 410, 413, 422])('gives up on HTTP %s', (status) => {
    expect(classifyPartnerFailure('crm', { kind: 'http', status, body: 'bad payload' })).toEqual({
      outcome: 'permanent',
      code: `http-${status}`,
      message: `partner crm rejected the webhook (HTTP ${status}): bad payload`,
    });
  });

  it('does not follow redirects', () => {
    expect(classifyPartnerFailure('crm', { kind: 'http', status: 301 })).toMatchObject({ outcome: 'permanent', code: 'http-301' });
  });

  it('masks personal data a partner echoes back, and keeps the excerpt short', () => {
    const result = classifyPartnerFailure('crm', { kind: 'http', status: 422, body: `unknown passenger luc@example.com ${'x'.repeat(500)}` });
    expect(result.message).not.toContain('luc@example.com');
    expect(result.message.length).toBeLessThan(300);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds and HTTP dates, caps absurd waits, and ignores garbage', () => {
    expect(parseRetryAfterMs('0', NOW)).toBe(0);
    expect(parseRetryAfterMs(' 30 ', NOW)).toBe(30_000);
    expect(parseRetryAfterMs('Tue, 01 Dec 2026 10:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfterMs('999999', NOW)).toBe(3_600_000);
    expect(parseRetryAfterMs('soon', NOW)).toBeUndefined();
    expect(parseRetryAfterMs('-5', NOW)).toBeUndefined();
    expect(parseRetryAfterMs(null, NOW)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, NOW)).toBeUndefined();
  });
});
