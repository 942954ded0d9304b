import { retryDelayMs } from './retry-policy';

describe('retryDelayMs', () => {
  it('doubles with each attempt, between half and all of the ceiling', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, () => 1)).toBe(2_000);
    expect(retryDelayMs(3, () => 0)).toBe(4_000);
    expect(retryDelayMs(3, () => 1)).toBe(8_000);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelayMs(40, () => 1)).toBe(15 * 60_000);
  });
});
