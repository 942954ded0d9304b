import { classifyWeChatFailure, maskWeChatText, QUOTA_ATTEMPTS } from './wechat-errors';

const api = (errcode: number, errmsg = 'x') => classifyWeChatFailure({ kind: 'api', errcode, errmsg });

describe('classifyWeChatFailure', () => {
  it.each([
    [-1, 'retryable'],
    [45009, 'retryable'],
    [45011, 'retryable'],
    [43004, 'permanent'],
    [43101, 'permanent'],
    [40003, 'permanent'],
    [40037, 'permanent'],
    [47003, 'permanent'],
    [43019, 'permanent'],
    [40013, 'paused'],
    [40125, 'paused'],
    [40164, 'paused'],
    [48001, 'paused'],
    // A token refused again right after a refresh: the account, not the token.
    [40001, 'paused'],
    [42001, 'paused'],
    [99999, 'permanent'],
  ])('errcode %i is %s, with the errcode as its code', (errcode, outcome) => {
    expect(api(errcode)).toMatchObject({ outcome, code: String(errcode) });
  });

  it('gives the daily quota a few attempts only', () => {
    expect(api(45009)).toMatchObject({ giveUpAfterAttempts: QUOTA_ATTEMPTS });
    expect(api(-1)).not.toHaveProperty('giveUpAfterAttempts');
  });

  it('judges the transport: timeouts and 5xx retried, other HTTP answers and answers without a result permanent', () => {
    expect(classifyWeChatFailure({ kind: 'timeout', timeoutMs: 10 })).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    expect(classifyWeChatFailure({ kind: 'network', message: 'ECONNRESET' })).toMatchObject({ outcome: 'retryable', code: 'network' });
    expect(classifyWeChatFailure({ kind: 'http', status: 502, bodyText: 'bad gateway' })).toMatchObject({ outcome: 'retryable', code: 'http-502' });
    expect(classifyWeChatFailure({ kind: 'http', status: 404, bodyText: '' })).toMatchObject({ outcome: 'permanent', code: 'http-404' });
    expect(classifyWeChatFailure({ kind: 'bad-response', status: 200, bodyText: '{}' })).toMatchObject({ outcome: 'permanent', code: 'bad-response' });
  });

  it('masks OpenIDs and phone numbers in WeChat’s words', () => {
    const text = maskWeChatText('invalid openid oia2TjuEGTNoeX76QEjQNrcURxG8 hint: [x] +8613812345678');
    expect(text).not.toContain('oia2TjuEGTNoeX76QEjQNrcURxG8');
    expect(text).not.toContain('+8613812345678');
    expect(text).toContain('oia');
  });
});
