import { classifyMessengerFailure, isOutsideWindow, maskMessengerText, type GraphApiError } from './messenger-errors';

const graph = (code: number, message: string, extra: Partial<GraphApiError> = {}): GraphApiError => ({
  message: `(#${code}) ${message}`,
  type: 'OAuthException',
  code,
  fbtrace_id: 'AbCdEf',
  ...extra,
});
const http = (status: number, error?: GraphApiError, retryAfterMs?: number) => classifyMessengerFailure({ kind: 'http', status, error, retryAfterMs });

describe('classifyMessengerFailure', () => {
  it('retries timeouts and network errors', () => {
    expect(classifyMessengerFailure({ kind: 'timeout', timeoutMs: 500 })).toEqual({ outcome: 'retryable', code: 'timeout', message: 'Messenger did not answer within 500 ms' });
    expect(classifyMessengerFailure({ kind: 'network', message: 'socket hang up (ECONNRESET)' })).toMatchObject({ outcome: 'retryable', code: 'network' });
  });

  it.each([
    [1, 'An unknown error occurred'],
    [2, 'An unexpected error has occurred. Please retry your request later.'],
    [4, 'Application request limit reached'],
    [17, 'User request limit reached'],
    [32, 'Page request limit reached'],
    [613, 'Calls to this api have exceeded the rate limit.'],
    [1200, 'Temporary send message failure. Please try again later'],
  ])('retries Graph code %i (throttling and Meta-side trouble), keeping Retry-After', (code, text) => {
    const result = http(400, graph(code, text), 30_000);
    expect(result).toMatchObject({ outcome: 'retryable', code: String(code), retryAfterMs: 30_000 });
    expect(result).toHaveProperty('message', expect.stringContaining(text));
  });

  it.each([
    [551, undefined, "This person isn't available right now."],
    [10, 2018278, 'This message is sent outside of allowed window.'],
    [200, 1545041, 'The user has not authorized the application'],
    [100, 2018001, 'No matching user found'],
  ])('fails a message to a person who cannot be reached for good (%i/%s), with code and subcode', (code, subcode, text) => {
    const result = http(400, graph(code, text, subcode ? { error_subcode: subcode } : {}));
    expect(result).toMatchObject({ outcome: 'permanent', code: subcode ? `${code}/${subcode}` : String(code) });
    expect(result).toHaveProperty('message', expect.stringContaining('[fbtrace_id AbCdEf]'));
  });

  it('pauses the channel when the Page access token is refused (190), or on a bare 401', () => {
    expect(http(400, graph(190, 'Invalid OAuth access token.', { error_subcode: 463 }))).toMatchObject({ outcome: 'paused', code: '190/463' });
    expect(http(401)).toMatchObject({ outcome: 'paused', code: 'http-401' });
  });

  it('judges unknown codes by Meta’s transient hint, then the HTTP class', () => {
    expect(http(400, graph(99999, 'Something new', { is_transient: true }))).toMatchObject({ outcome: 'retryable', code: '99999' });
    expect(http(503)).toMatchObject({ outcome: 'retryable', code: 'http-503' });
    expect(http(429)).toMatchObject({ outcome: 'retryable', code: 'http-429' });
    expect(http(400, graph(99999, 'Something new'))).toMatchObject({ outcome: 'permanent', code: '99999' });
  });

  it('never resends blindly after a 2xx without a message id', () => {
    expect(classifyMessengerFailure({ kind: 'bad-response', status: 200, bodyText: '{}' })).toMatchObject({ outcome: 'permanent', code: 'bad-response' });
  });

  it('recognises the closed window, and masks PSIDs and phone numbers in provider text', () => {
    expect(isOutsideWindow({ kind: 'http', status: 400, error: graph(10, 'outside', { error_subcode: 2018278 }) })).toBe(true);
    expect(isOutsideWindow({ kind: 'http', status: 400, error: graph(10, 'permission') })).toBe(false);
    const masked = maskMessengerText('No matching user found for 25381719828140932 (+31612345678)');
    expect(masked).not.toContain('25381719828140932');
    expect(masked).not.toContain('+31612345678');
    expect(masked).toContain('253');
  });
});
