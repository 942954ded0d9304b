import { FailedLoginLimiter } from './failed-login-limiter';

describe('FailedLoginLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-03-01T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('blocks an address after its allowed failures, for the rest of the window, and no other address', async () => {
    const limiter = new FailedLoginLimiter(3, 60);
    for (let i = 0; i < 3; i++) {
      expect(await limiter.retryAfter('198.51.100.1')).toBe(0);
      await limiter.fail('198.51.100.1');
    }
    expect(await limiter.retryAfter('198.51.100.1')).toBe(60);
    expect(await limiter.retryAfter('198.51.100.2')).toBe(0);

    jest.advanceTimersByTime(45_000);
    expect(await limiter.retryAfter('198.51.100.1')).toBe(15);
    jest.advanceTimersByTime(15_001);
    expect(await limiter.retryAfter('198.51.100.1')).toBe(0);
  });

  it('counts failures in a fixed window from the first one', async () => {
    const limiter = new FailedLoginLimiter(2, 60);
    await limiter.fail('198.51.100.3');
    jest.advanceTimersByTime(61_000);
    await limiter.fail('198.51.100.3');
    expect(await limiter.retryAfter('198.51.100.3')).toBe(0);
    await limiter.fail('198.51.100.3');
    expect(await limiter.retryAfter('198.51.100.3')).toBe(60);
  });
});
