import { boardingPassLabels } from './boarding-pass-labels';
import { creationDate, dayShift, inZoneByLuxon, localTime, safeLocale } from './boarding-pass-time';

describe('localTime', () => {
  it('shows an instant in the airport zone, whatever the server zone', () => {
    expect(localTime('2026-07-01T22:30:00Z', 'America/New_York', 'en')).toMatchObject({ time: '18:30', isoDate: '2026-07-01' });
    expect(localTime('2026-07-01T22:30:00Z', 'Asia/Tokyo', 'en')).toMatchObject({ time: '07:30', isoDate: '2026-07-02' });
  });

  it('uses the offset in the string when no zone is given', () => {
    expect(localTime('2026-03-14T07:25:00+01:00', undefined, 'nl').time).toBe('07:25');
  });

  it('keeps the offset rather than printing garbage for an unknown zone', () => {
    expect(localTime('2026-03-14T07:25:00+01:00', 'Mars/Olympus', 'en').time).toBe('07:25');
  });

  it('localises the date', () => {
    expect(localTime('2026-03-14T06:25:00Z', 'Europe/Amsterdam', 'nl-NL').date).toBe('za 14 mrt');
    expect(localTime('2026-03-14T06:25:00Z', 'Europe/Amsterdam', 'en-GB').date).toBe('Sat 14 Mar');
  });

  it('prints Western digits and the Gregorian date in every language, as the flight is timetabled', () => {
    expect(localTime('2026-03-14T06:25:00Z', 'Africa/Cairo', 'ar-EG')).toMatchObject({ time: '08:25', date: 'السبت، 14 مارس' });
    expect(localTime('2026-03-14T06:25:00Z', 'Asia/Riyadh', 'ar-SA')).toMatchObject({ time: '09:25', date: 'السبت، 14 مارس' });
    expect(localTime('2026-03-14T06:25:00Z', 'Asia/Tokyo', 'ja').date).toBe('3月14日(土)');
  });

  it('prints exactly what luxon prints, over locales, zones, instants and DST changes', () => {
    const locales = ['en', 'en-GB', 'en-US', 'nl-NL', 'de', 'fr', 'es', 'it', 'pt-BR', 'ja', 'zh-CN', 'ko', 'ar-EG', 'ar-SA', 'he', 'fa', 'hi', 'th', 'tr', 'fi', 'da'];
    const zones = ['Europe/Amsterdam', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'Pacific/Honolulu', 'Africa/Cairo', 'UTC'];
    const instants = ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', '2026-12-31T23:30:00Z', '2026-07-01T12:00:00.250+02:00', '2026-11-01T05:59:00-05:00', '2026-01-01T00:00:00Z'];
    let compared = 0;
    for (const locale of locales)
      for (const zone of zones)
        for (const instant of instants) {
          expect({ locale, zone, instant, ...localTime(instant, zone, locale) }).toEqual({ locale, zone, instant, ...inZoneByLuxon(instant, zone, locale) });
          compared++;
        }
    expect(compared).toBe(locales.length * zones.length * instants.length);
  });

  it('passes pre-formatted text through', () => {
    expect(localTime('about 7 pm', 'Europe/Amsterdam', 'en')).toEqual({ time: 'about 7 pm', date: '' });
  });
});

describe('dayShift', () => {
  it('marks arrivals on a later or earlier local date', () => {
    const dep = localTime('2026-07-01T20:00:00Z', 'Europe/Amsterdam', 'en');
    expect(dayShift(dep, localTime('2026-07-02T06:00:00Z', 'Asia/Tokyo', 'en'))).toBe('+1');
    expect(dayShift(dep, localTime('2026-07-01T21:00:00Z', 'Europe/London', 'en'))).toBe('');
    const tokyo = localTime('2026-07-02T01:00:00Z', 'Asia/Tokyo', 'en');
    expect(dayShift(tokyo, localTime('2026-07-02T09:00:00Z', 'Pacific/Honolulu', 'en'))).toBe('-1');
  });
});

describe('safeLocale and labels', () => {
  it('normalises or falls back to English', () => {
    expect(safeLocale('nl_NL')).toBe('nl-NL');
    expect(safeLocale('!!')).toBe('en');
  });

  it('picks the label language, English by default', () => {
    expect(boardingPassLabels('nl-BE').seat).toBe('Stoel');
    expect(boardingPassLabels('NL').boardingPass).toBe('Instapkaart');
    expect(boardingPassLabels('sv-SE').seat).toBe('Seat');
  });
});

describe('creationDate', () => {
  it('takes the first usable candidate, else the epoch', () => {
    expect(creationDate(undefined, 'bad', '2026-03-13').toISOString()).toBe('2026-03-13T00:00:00.000Z');
    expect(creationDate('2026-03-14T06:25:00+01:00').toISOString()).toBe('2026-03-14T05:25:00.000Z');
    expect(creationDate().getTime()).toBe(0);
    // Without an offset: read as UTC, never in the server's zone.
    expect(creationDate('2026-03-13T10:00:00').toISOString()).toBe('2026-03-13T10:00:00.000Z');
  });
});
