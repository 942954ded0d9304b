import { canonicalLocale, localeChain } from './locale-fallback';

describe('localeChain', () => {
  it.each([
    ['nl-NL', ['nl-NL', 'nl', 'en']],
    ['zh-Hans-CN', ['zh-Hans-CN', 'zh-Hans', 'zh', 'en']],
    ['en', ['en']],
    ['en-US', ['en-US', 'en']],
    ['nl', ['nl', 'en']],
  ])('%s → %j', (locale, chain) => {
    expect(localeChain(locale)).toEqual(chain);
  });

  it('normalizes case and underscores', () => {
    expect(localeChain('NL_nl')).toEqual(['nl-NL', 'nl', 'en']);
    expect(localeChain('zh-hans-cn')).toEqual(['zh-Hans-CN', 'zh-Hans', 'zh', 'en']);
  });

  it('hands out a remembered chain no caller can change', () => {
    const chain = localeChain('nl-BE');
    expect(Object.isFrozen(chain)).toBe(true);
    expect(localeChain('nl-BE')).toBe(chain);
  });

  it('drops extensions and private use instead of truncating through them', () => {
    expect(localeChain('en-US-u-ca-gregory')).toEqual(['en-US', 'en']);
    expect(localeChain('nl-NL-x-klm')).toEqual(['nl-NL', 'nl', 'en']);
  });

  it.each(['', '   ', 'garbage', '!!', '12-34', 'x', 'nl--NL'])('falls back to English for %j', (locale) => {
    expect(localeChain(locale)).toEqual(['en']);
  });

  it('survives a non-string at runtime', () => {
    expect(localeChain(undefined as unknown as string)).toEqual(['en']);
    expect(canonicalLocale(42 as unknown as string)).toBeUndefined();
  });
});
