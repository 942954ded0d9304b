import { passengerReason, sameLanguage } from './passenger-reason';

describe('passengerReason', () => {
  const english = { reason: 'late inbound aircraft from Paris', reasonLanguage: 'en' };

  it('never puts English free text in a Korean message', () => {
    expect(passengerReason(english, 'ko')).toBeUndefined();
  });

  it('explains delay code 93 to a Korean passenger from the catalog, whatever the free text', () => {
    expect(passengerReason({ ...english, delayCode: '93' }, 'ko')).toEqual({ kind: 'code', key: 'late-inbound-aircraft' });
    expect(passengerReason({ delayCode: '93' }, 'ko')).toEqual({ kind: 'code', key: 'late-inbound-aircraft' });
  });

  it('prefers the code to free text even in the free text’s own language', () => {
    expect(passengerReason({ ...english, delayCode: '71' }, 'en')).toEqual({ kind: 'code', key: 'weather-departure' });
  });

  it('shows free text in its own language when the code has no wording (airline-internal, "other", unknown)', () => {
    for (const delayCode of ['02', '99', '74']) {
      expect(passengerReason({ ...english, delayCode }, 'en')).toEqual({ kind: 'text', text: 'late inbound aircraft from Paris' });
      expect(passengerReason({ ...english, delayCode }, 'ko')).toBeUndefined();
    }
  });

  it('never shows free text of unknown language', () => {
    expect(passengerReason({ reason: 'late inbound aircraft' }, 'en')).toBeUndefined();
  });

  it.each([
    ['pt-BR', 'pt'],
    ['pt', 'pt'],
    ['zh-Hans', 'zh'],
    ['zh', 'zh-Hans'],
    ['zh-CN', 'zh-Hans'],
    ['en-GB', 'en'],
    ['KO', 'ko'],
    ['nl_NL', 'nl'],
  ])('shows %s text in a %s message (same language subtag and script)', (reasonLanguage, catalogLanguage) => {
    expect(passengerReason({ reason: 'x', reasonLanguage }, catalogLanguage)).toEqual({ kind: 'text', text: 'x' });
  });

  it.each([
    ['en', 'ko'],
    ['pt', 'es'],
    ['zh-Hant', 'zh-Hans'],
    ['zh-TW', 'zh-Hans'],
    ['sr-Latn', 'sr'],
    ['not a tag', 'en'],
    ['en', ''],
  ])('does not show %s text in a %s message', (reasonLanguage, catalogLanguage) => {
    expect(passengerReason({ reason: 'x', reasonLanguage }, catalogLanguage)).toBeUndefined();
  });

  it('makes the free text one line, as a value inside a line of the message', () => {
    expect(passengerReason({ reason: '  vertraagde\n\taankomst  ', reasonLanguage: 'nl' }, 'nl')).toEqual({ kind: 'text', text: 'vertraagde aankomst' });
    expect(passengerReason({ reason: ' \n ', reasonLanguage: 'nl' }, 'nl')).toBeUndefined();
  });
});

describe('sameLanguage', () => {
  it('compares the written language, not the region', () => {
    expect(sameLanguage('pt-BR', 'pt-PT')).toBe(true);
    expect(sameLanguage('ar-EG', 'ar')).toBe(true);
    expect(sameLanguage('zh-Hans-CN', 'zh-Hant-TW')).toBe(false);
    expect(sameLanguage('en-US', 'en')).toBe(true);
  });
});
