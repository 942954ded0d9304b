import { classifyTwilioFailure } from './twilio-errors';

const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('classifyTwilioFailure', () => {
  it('retries when Twilio never answered: network errors and our timeout', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyTwilioFailure({ kind: 'network', error: refused })).toEqual({ outcome: 'retryable', code: 'network-error', message: 'request failed: ECONNREFUSED' });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyTwilioFailure({ kind: 'network', error: timeout })).toMatchObject({ outcome: 'retryable', code: 'timeout' });
  });

  it('retries 5xx, honouring Retry-After', () => {
    expect(classifyTwilioFailure({ kind: 'http', status: 503, retryAfter: '7' }, NOW)).toEqual({ outcome: 'retryable', code: 'http-503', message: 'HTTP 503', retryAfterMs: 7000 });
    expect(classifyTwilioFailure({ kind: 'http', status: 500, code: 20500, message: 'Internal Server Error' })).toEqual({
      outcome: 'retryable',
      code: '20500',
      message: 'Internal Server Error',
    });
  });

  it('retries HTTP 429 and code 20429 after the Retry-After delay (seconds or HTTP date)', () => {
    expect(classifyTwilioFailure({ kind: 'http', status: 429, code: 20429, message: 'Too Many Requests', retryAfter: '3' }, NOW)).toEqual({
      outcome: 'retryable',
      code: '20429',
      message: 'rate limited: Too Many Requests',
      retryAfterMs: 3000,
    });
    expect(classifyTwilioFailure({ kind: 'http', status: 429, retryAfter: 'Tue, 01 Dec 2026 10:00:30 GMT' }, NOW)).toMatchObject({ retryAfterMs: 30_000 });
    expect(classifyTwilioFailure({ kind: 'http', status: 400, code: 20429 })).toMatchObject({ outcome: 'retryable', code: '20429' });
    expect(classifyTwilioFailure({ kind: 'http', status: 429 })).not.toHaveProperty('retryAfterMs');
  });

  it.each([
    [21211, "invalid 'To' phone number"],
    [21614, 'not a mobile number'],
    [21610, 'unsubscribed'],
    [21408, 'region'],
    [21612, 'not reachable'],
  ])('gives up for good on %s', (code, phrase) => {
    const result = classifyTwilioFailure({ kind: 'http', status: 400, code, message: 'Twilio says no' });
    expect(result).toMatchObject({ outcome: 'permanent', code: String(code) });
    expect(result.message).toContain(phrase);
  });

  it('masks the phone number Twilio quotes in its message', () => {
    const result = classifyTwilioFailure({ kind: 'http', status: 400, code: 21211, message: "The 'To' number +31612345678 is not a valid phone number." });
    expect(result.message).not.toContain('+31612345678');
    expect(result.message).toContain('+31******678');
  });

  it('pauses the channel when Twilio refuses our credentials (20003 / HTTP 401)', () => {
    expect(classifyTwilioFailure({ kind: 'http', status: 401, code: 20003, message: 'Authenticate' })).toMatchObject({ outcome: 'paused', code: '20003' });
    expect(classifyTwilioFailure({ kind: 'http', status: 401 })).toMatchObject({ outcome: 'paused', code: 'http-401' });
  });

  it('treats any other 4xx as permanent', () => {
    expect(classifyTwilioFailure({ kind: 'http', status: 400, code: 21617, message: 'body too long' })).toMatchObject({ outcome: 'permanent', code: '21617' });
    expect(classifyTwilioFailure({ kind: 'http', status: 404 })).toMatchObject({ outcome: 'permanent', code: 'http-404' });
  });
});

describe('classifyTwilioFailure masking', () => {
  it('masks a number Twilio quotes even when it is not valid E.164', () => {
    const result = classifyTwilioFailure({ kind: 'http', status: 400, code: 21211, message: "The 'To' number +0612345678 is not a valid phone number." });
    expect(result.message).not.toContain('0612345678');
    const bare = classifyTwilioFailure({ kind: 'http', status: 400, code: 21211, message: "The 'To' number 5551234567 is not a valid phone number." });
    expect(bare.message).not.toContain('5551234567');
    expect(bare.message).toContain("The 'To' number 555****567");
  });
});
