import { classifyWhatsAppFailure, GraphApiError, parseRetryAfter, PERMANENT_AFTER_RETRIES } from './whatsapp-errors';

const graph = (code: number, message: string, extra: Partial<GraphApiError> = {}): GraphApiError => ({
  message,
  type: 'OAuthException',
  code,
  error_data: { messaging_product: 'whatsapp', details: `details of ${code}` },
  fbtrace_id: 'AbCdEf',
  ...extra,
});
const http = (status: number, error?: GraphApiError, retryAfterMs?: number) =>
  classifyWhatsAppFailure({ kind: 'http', status, error, retryAfterMs });

describe('classifyWhatsAppFailure', () => {
  it('retries timeouts and network errors', () => {
    expect(classifyWhatsAppFailure({ kind: 'timeout', timeoutMs: 500 })).toEqual({
      outcome: 'retryable',
      code: 'timeout',
      message: 'WhatsApp did not answer within 500 ms',
    });
    expect(classifyWhatsAppFailure({ kind: 'network', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toMatchObject({
      outcome: 'retryable',
      code: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('retries HTTP 5xx and 429, keeping Retry-After', () => {
    expect(http(500)).toMatchObject({ outcome: 'retryable', code: 'http-500' });
    expect(http(503, undefined, 30_000)).toMatchObject({ outcome: 'retryable', code: 'http-503', retryAfterMs: 30_000 });
    expect(http(429)).toMatchObject({ outcome: 'retryable', code: 'http-429' });
  });

  it.each([
    [130429, 'Rate limit hit'],
    [131000, 'Something went wrong'],
    [131016, 'Service unavailable'],
    [133004, 'Server temporarily unavailable'],
    [4, 'Application request limit reached'],
  ])('retries WhatsApp code %i', (code, text) => {
    const result = http(code === 4 ? 400 : 500, graph(code, text));
    expect(result).toMatchObject({ outcome: 'retryable', code: String(code) });
    expect(result).toHaveProperty('message', expect.stringContaining(text));
    expect(result).toHaveProperty('message', expect.stringContaining(`details of ${code}`));
  });

  it('defers a pair rate limit (131056) without spending an attempt', () => {
    expect(http(400, graph(131056, '(Business Account, Consumer Account) pair rate limit hit'))).toEqual({
      outcome: 'deferred',
      reason: expect.stringMatching(/^131056: WhatsApp 131056 \(HTTP 400\): \(Business Account, Consumer Account\) pair rate limit hit/),
      retryAfterMs: 6_000,
    });
    expect(classifyWhatsAppFailure({ kind: 'http', status: 400, error: graph(131056, 'pair') }, { pairIntervalMs: 2_000 })).toMatchObject({
      retryAfterMs: 2_000,
    });
    expect(classifyWhatsAppFailure({ kind: 'http', status: 400, error: graph(131056, 'pair') }, { pairIntervalMs: 0 })).toMatchObject({
      retryAfterMs: 6_000,
    });
  });

  it('retries 131049 and tells the dispatcher to give up after 3 attempts', () => {
    expect(http(400, graph(131049, 'This message was not delivered to maintain healthy ecosystem engagement.'))).toMatchObject({
      outcome: 'retryable',
      code: '131049',
      giveUpAfterAttempts: 3,
    });
    expect(http(500, graph(131000, 'Something went wrong'))).not.toHaveProperty('giveUpAfterAttempts');
    expect(PERMANENT_AFTER_RETRIES).toEqual({ '131049': 3 });
  });

  it.each([
    [131026, 'Message undeliverable'],
    [131047, 'Re-engagement message'],
    [368, 'Temporarily blocked for policies violations'],
    [100, 'Invalid parameter'],
    [132001, 'Template name does not exist in the translation'],
  ])('fails code %i permanently, keeping the code and text', (code, text) => {
    const result = http(400, graph(code, text));
    expect(result).toMatchObject({ outcome: 'permanent', code: String(code) });
    expect(result).toHaveProperty('message', expect.stringContaining(text));
  });

  it('fails an invalid recipient number (100 with a subcode) permanently', () => {
    const result = http(400, graph(100, '(#100) Invalid parameter', { error_subcode: 2494010, error_data: { details: 'Recipient phone number not valid' } }));
    expect(result).toMatchObject({ outcome: 'permanent', code: '100', message: expect.stringContaining('100/2494010') });
  });

  it('pauses the channel on refused credentials (190, 401, permissions)', () => {
    expect(http(401, graph(190, 'Error validating access token: Session has expired'))).toMatchObject({ outcome: 'paused', code: '190' });
    expect(http(400, graph(190, 'Malformed access token'))).toMatchObject({ outcome: 'paused', code: '190' });
    expect(http(401)).toMatchObject({ outcome: 'paused', code: 'http-401' });
    expect(http(403, graph(10, 'Application does not have permission for this action'))).toMatchObject({ outcome: 'paused', code: '10' });
    expect(http(403, graph(200, 'Permissions error'))).toMatchObject({ outcome: 'paused', code: '200' });
  });

  it('judges unknown codes by Meta’s is_transient hint, then by the HTTP class', () => {
    expect(http(400, graph(999_999, 'new', { is_transient: true }))).toMatchObject({ outcome: 'retryable', code: '999999' });
    expect(http(400, graph(999_999, 'new'))).toMatchObject({ outcome: 'permanent', code: '999999' });
    expect(http(502, graph(999_999, 'new'))).toMatchObject({ outcome: 'retryable', code: '999999' });
    expect(http(404)).toMatchObject({ outcome: 'permanent', code: 'http-404' });
  });

  it('never sends another copy after a 2xx it cannot read', () => {
    expect(classifyWhatsAppFailure({ kind: 'bad-response', status: 200, bodyText: '{}' })).toMatchObject({ outcome: 'permanent', code: 'bad-response' });
  });

  it('masks phone numbers the provider repeats, with or without +', () => {
    const result = http(400, graph(131026, 'Message undeliverable to +31612345678', { error_data: { details: 'wa_id 31687654321' } }));
    expect(result).toHaveProperty('message', expect.not.stringContaining('31612345678'));
    expect(result).toHaveProperty('message', expect.not.stringContaining('31687654321'));
    expect(result).toHaveProperty('message', expect.stringContaining('131026'));
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7_000);
    expect(parseRetryAfter(new Date(1_000_000 + 5_000).toUTCString(), 1_000_000)).toBeGreaterThanOrEqual(4_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
