import { formatLocalDate, formatLocalDateTime, formatLocalTime } from './local-time';

const WINTER = '2026-12-01T07:35:00Z';
const SUMMER = '2026-07-01T07:35:00Z';

describe('formatLocalTime', () => {
  it('shows Amsterdam time with the winter and summer offsets', () => {
    expect(formatLocalTime(WINTER, 'AMS', 'nl')).toBe('08:35');
    expect(formatLocalTime(SUMMER, 'AMS', 'nl-NL')).toBe('09:35');
  });

  it('shows New York time', () => {
    expect(formatLocalTime(WINTER, 'JFK', 'en')).toBe('02:35');
    expect(formatLocalTime(SUMMER, 'JFK', 'en')).toBe('03:35');
  });

  it('uses 24-hour time for en and nl, AM/PM with plain spaces for en-US', () => {
    expect(formatLocalTime('2026-12-01T07:20:00Z', 'AMS', 'en')).toBe('08:20');
    expect(formatLocalTime('2026-12-01T07:20:00Z', 'AMS', 'en-GB')).toBe('08:20');
    expect(formatLocalTime('2026-12-01T07:20:00Z', 'AMS', 'en-US')).toBe('8:20 AM');
    expect(formatLocalTime('2026-12-01T19:05:00Z', 'AMS', 'en-US')).toBe('8:05 PM');
  });

  it('honours the offset written in the instant', () => {
    expect(formatLocalTime('2026-12-01T08:35:00+01:00', 'AMS', 'nl')).toBe('08:35');
    expect(formatLocalTime('2026-12-01T02:35:00-05:00', 'AMS', 'nl')).toBe('08:35');
  });

  it('falls back to UTC for an unknown airport and says so', () => {
    expect(formatLocalTime(WINTER, 'XXX', 'nl')).toBe('07:35 UTC');
  });

  it('falls back to en-GB formatting for an unusable locale', () => {
    expect(formatLocalTime(WINTER, 'AMS', 'garbage')).toBe('08:35');
  });

  it.each(['', 'tomorrow', '2026-12-01', '2026-12-01T07:35:00', '2026-13-01T07:35:00Z', '2026-02-30T07:35:00Z', '2026-12-01 07:35Z'])(
    'rejects %j with a clear error',
    (input) => {
      expect(() => formatLocalTime(input, 'AMS', 'nl')).toThrow(/RFC 3339 instant/);
    },
  );

  it('reads fractional seconds and a lower-case designator', () => {
    expect(formatLocalTime('2026-12-01t07:35:59.999999z', 'AMS', 'nl')).toBe('08:35');
  });

  it('rejects a non-string at runtime', () => {
    expect(() => formatLocalTime(undefined as unknown as string, 'AMS', 'nl')).toThrow(/got undefined/);
  });
});

describe('formatLocalDate', () => {
  it('writes the weekday, day and month in the passenger language', () => {
    expect(formatLocalDate(WINTER, 'AMS', 'en')).toBe('Tue 1 Dec');
    expect(formatLocalDate(WINTER, 'AMS', 'nl')).toBe('di 1 dec');
    expect(formatLocalDate(WINTER, 'AMS', 'nl-NL')).toBe('di 1 dec');
  });

  it('uses the airport date, not the UTC date', () => {
    expect(formatLocalDate('2026-12-01T23:30:00Z', 'AMS', 'en')).toBe('Wed 2 Dec');
    expect(formatLocalDate('2026-12-01T03:30:00Z', 'JFK', 'en')).toBe('Mon 30 Nov');
  });

  it('shows a plain calendar date as that date', () => {
    expect(formatLocalDate('2026-12-01', 'JFK', 'en')).toBe('Tue 1 Dec');
    expect(formatLocalDate('2026-12-01', 'XXX', 'nl')).toBe('di 1 dec');
  });

  it('refuses a calendar date that does not exist', () => {
    expect(() => formatLocalDate('2026-02-30', 'AMS', 'en')).toThrow(/calendar date/);
    expect(formatLocalDate('2028-02-29', 'AMS', 'en')).toBe('Tue 29 Feb');
  });

  it('marks UTC for an unknown airport', () => {
    expect(formatLocalDate(WINTER, 'XXX', 'en')).toBe('Tue 1 Dec UTC');
  });
});

describe('formatLocalDateTime', () => {
  it('combines date and time in the airport zone', () => {
    expect(formatLocalDateTime(WINTER, 'AMS', 'en')).toBe('Tue 1 Dec, 08:35');
    expect(formatLocalDateTime(WINTER, 'AMS', 'nl')).toBe('di 1 dec, 08:35');
    expect(formatLocalDateTime(WINTER, 'XXX', 'en')).toBe('Tue 1 Dec, 07:35 UTC');
  });

  it('does not take a calendar date for a moment', () => {
    expect(() => formatLocalDateTime('2026-12-01', 'AMS', 'en')).toThrow(/RFC 3339 instant/);
  });
});

describe('remembered texts', () => {
  it('keeps each text apart by instant, airport, locale and part, asked again in any order', () => {
    const asks = () => [
      formatLocalTime(WINTER, 'AMS', 'en'),
      formatLocalTime(WINTER, 'JFK', 'en'),
      formatLocalTime(WINTER, 'AMS', 'en-US'),
      formatLocalDateTime(WINTER, 'AMS', 'en'),
      formatLocalTime(SUMMER, 'AMS', 'en'),
    ];
    const first = asks();
    expect(first).toEqual(['08:35', '02:35', '8:35 AM', 'Tue 1 Dec, 08:35', '09:35']);
    expect(asks().reverse()).toEqual([...first].reverse());
  });

  it('still formats correctly once more texts were asked for than it keeps', () => {
    const start = Date.UTC(2026, 11, 1);
    for (let minute = 0; minute < 12_000; minute++) formatLocalTime(new Date(start + minute * 60_000).toISOString(), 'AMS', 'nl');
    expect(formatLocalTime(new Date(start).toISOString(), 'AMS', 'nl')).toBe('01:00');
    expect(formatLocalTime(new Date(start + 11_999 * 60_000).toISOString(), 'AMS', 'nl')).toBe('08:59'); // 8 days 7:59 later, UTC+1
  });
});
