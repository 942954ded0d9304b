import { DateTime } from 'luxon';

export interface LocalTime {
  /** 24-hour clock in the airport's zone, or the input as given when it is not ISO 8601. */
  time: string;
  /** Localised short date ('za 14 mrt'), empty for pre-formatted input. */
  date: string;
  /** Local calendar date (YYYY-MM-DD) for day-difference checks; undefined for pre-formatted input. */
  isoDate?: string;
}

/**
 * An instant shown where it happens: in `zone` (IANA) when given, else in the offset the string
 * carries (setZone), never in the server's zone.
 */
export function localTime(value: string, zone: string | undefined, locale: string): LocalTime {
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) return { time: value, date: '' };
  const inZone = zone ? parsed.setZone(zone) : parsed;
  // An unknown zone name must not print "Invalid DateTime" on a boarding pass; the offset is still right.
  // Western digits and the Gregorian calendar in every language ('ar-EG' would print ٠٧:٢٥, 'ar-SA' a Hijri
  // date): times and dates must match the flight's, as airline passes print them.
  const local = (inZone.isValid ? inZone : parsed).reconfigure({ locale, numberingSystem: 'latn', outputCalendar: 'gregory' });
  return {
    time: local.toFormat('HH:mm'),
    // No year: it fits the column, and a boarding pass is only used within days of issue.
    date: local.toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
    isoDate: local.toISODate() ?? undefined,
  };
}

/** '+1' when the arrival falls on a later local date than the departure, as airline timetables print. */
export function dayShift(departure: LocalTime, arrival: LocalTime): string {
  if (!departure.isoDate || !arrival.isoDate) return '';
  const days = DateTime.fromISO(arrival.isoDate).diff(DateTime.fromISO(departure.isoDate), 'days').days;
  if (days === 0) return '';
  return days > 0 ? `+${days}` : String(days);
}

/** A BCP 47 tag Intl accepts ('nl_NL' → 'nl-NL'); English when the tag is unusable. */
export function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** A fixed PDF CreationDate from the data: same data, same bytes. */
export function creationDate(...candidates: (string | undefined)[]): Date {
  for (const value of candidates) {
    if (!value) continue;
    const parsed = DateTime.fromISO(value, { zone: 'utc' });
    if (parsed.isValid) return parsed.toJSDate();
  }
  return new Date(0);
}
