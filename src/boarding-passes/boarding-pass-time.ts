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
  return (zone && RFC3339_INSTANT.test(value) && !locale.includes('-u-') && inZoneFast(Date.parse(value), zone, locale)) || inZoneByLuxon(value, zone, locale);
}

// Western digits and the Gregorian calendar in every language ('ar-EG' would print ٠٧:٢٥, 'ar-SA' a Hijri
// date): times and dates must match the flight's, as airline passes print them.
const LATIN_GREGORIAN = '-u-ca-gregory-nu-latn';
const RFC3339_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
/** Bounded: zones and locales come from events. Past the bound a formatter is built per use. */
const MAX_CACHED = 2_000;
const clocks = new Map<string, Intl.DateTimeFormat | null>();
const dates = new Map<string, Intl.DateTimeFormat>();

/**
 * The common case (an IANA zone, an RFC 3339 instant) on formatters built once per zone and locale: luxon
 * builds its Intl formatters anew for each call, which was a tenth of a boarding pass's CPU. Same output as
 * the luxon path (checked in the spec over locales, zones and instants); undefined when the zone is unknown.
 */
function inZoneFast(epochMs: number, zone: string, locale: string): LocalTime | undefined {
  const clock = cached(clocks, zone, () => {
    try {
      return new Intl.DateTimeFormat(`en-US${LATIN_GREGORIAN}`, {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      return null; // not an IANA zone Intl knows: the luxon path keeps the string's own offset
    }
  });
  if (!clock || Number.isNaN(epochMs)) return undefined;
  const part: Record<string, string> = {};
  for (const { type, value } of clock.formatToParts(epochMs)) part[type] = value;
  const date = cached(dates, `${locale}|${zone}`, () => new Intl.DateTimeFormat(`${locale}${LATIN_GREGORIAN}`, { ...SHORT_DATE, timeZone: zone }));
  return { time: `${part.hour}:${part.minute}`, date: date.format(epochMs), isoDate: `${part.year}-${part.month}-${part.day}` };
}

// No year: it fits the column, and a boarding pass is only used within days of issue.
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };

function cached<T>(map: Map<string, T>, key: string, build: () => T): T {
  if (map.has(key)) return map.get(key) as T;
  const built = build();
  if (map.size < MAX_CACHED) map.set(key, built);
  return built;
}

/**
 * Anything else: an instant without a zone (its own offset), an unknown zone, a locale with its own extensions.
 * Exported for the spec, which holds the fast path to this one's output.
 */
export function inZoneByLuxon(value: string, zone: string | undefined, locale: string): LocalTime {
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) return { time: value, date: '' };
  const inZone = zone ? parsed.setZone(zone) : parsed;
  // An unknown zone name must not print "Invalid DateTime" on a boarding pass; the offset is still right.
  const local = (inZone.isValid ? inZone : parsed).reconfigure({ locale, numberingSystem: 'latn', outputCalendar: 'gregory' });
  return { time: local.toFormat('HH:mm'), date: local.toLocaleString(SHORT_DATE), isoDate: local.toISODate() ?? undefined };
}

/** '+1' when the arrival falls on a later local date than the departure, as airline timetables print. */
export function dayShift(departure: LocalTime, arrival: LocalTime): string {
  if (!departure.isoDate || !arrival.isoDate) return '';
  const days = Math.round((Date.parse(arrival.isoDate) - Date.parse(departure.isoDate)) / 86_400_000);
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
    // Both forms are read as UTC by Date.parse, as by luxon below (which costs 20 times more).
    if (RFC3339_INSTANT.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const epochMs = Date.parse(value);
      if (!Number.isNaN(epochMs)) return new Date(epochMs);
    }
    const parsed = DateTime.fromISO(value, { zone: 'utc' });
    if (parsed.isValid) return parsed.toJSDate();
  }
  return new Date(0);
}
