import { rememberRecent } from './remember-recent';

describe('rememberRecent', () => {
  it('computes a value once and keeps it', () => {
    const cache = new Map<string, number>();
    let computed = 0;
    const ask = () => rememberRecent(cache, 'a', 2, () => ++computed);
    expect([ask(), ask()]).toEqual([1, 1]);
    expect(computed).toBe(1);
  });

  it('drops the oldest entry past its bound', () => {
    const cache = new Map<string, string>();
    for (const key of ['a', 'b', 'c']) rememberRecent(cache, key, 2, () => key.toUpperCase());
    expect([...cache.keys()]).toEqual(['b', 'c']);
    expect(rememberRecent(cache, 'a', 2, () => 'again')).toBe('again');
  });
});
