import { DateTime } from 'luxon';
import { findAirport } from './airports';
import { localeChain } from './locale-fallback';

const DATE_OPTIONS: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
// An offset is required: without one luxon would read the instant in the machine's zone, silently.
const RFC3339_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "08:20" (nl, en), "8:20 AM" (en-US): the time at the airport, in the passenger's locale. */
export function formatLocalTime(instantIso: string, iata: string, locale: string): string {
  return format(instantIso, iata, locale, 'time');
}

/**
 * "Tue 1 Dec" (en), "di 1 dec" (nl). Also takes a plain YYYY-MM-DD, which is already the airport's own
 * calendar date (the contract's departureDate), so it is shown as is.
 */
export function formatLocalDate(instantOrDate: string, iata: string, locale: string): string {
  return format(instantOrDate, iata, locale, 'date');
}

/** "Tue 1 Dec, 08:20" (en), "di 1 dec, 08:20" (nl). */
export function formatLocalDateTime(instantIso: string, iata: string, locale: string): string {
  return format(instantIso, iata, locale, 'dateTime');
}

function format(value: string, iata: string, locale: string, part: 'time' | 'date' | 'dateTime'): string {
  const zone = findAirport(iata)?.timeZone;
  const isCalendarDate = part === 'date' && typeof value === 'string' && CALENDAR_DATE.test(value);
  const moment = isCalendarDate ? parseCalendarDate(value) : parseInstant(value).setZone(zone ?? 'utc');
  const intlLocale = formattingLocale(locale);
  const options: Intl.DateTimeFormatOptions = {
    ...(part === 'time' ? {} : DATE_OPTIONS),
    ...(part === 'date' ? {} : timeOptions(intlLocale)),
  };
  // Intl puts narrow/no-break spaces in "8:20 AM"; they are not in the GSM-7 alphabet, so one of them
  // would switch a whole SMS to UCS-2 and halve its length.
  const text = moment.setLocale(intlLocale).toLocaleString(options).replace(/[\u00a0\u202f]/g, ' ');
  // Never show a time that looks local but is not: an unknown airport gets UTC, and says so.
  return zone || isCalendarDate ? text : `${text} UTC`;
}

function parseInstant(value: unknown): DateTime {
  const instant =
    typeof value === 'string' && RFC3339_INSTANT.test(value) ? DateTime.fromISO(value, { setZone: true }) : undefined;
  if (!instant?.isValid) {
    throw new Error(`Expected an RFC 3339 instant with an offset (e.g. 2026-12-01T07:35:00Z), got ${describe(value)}`);
  }
  return instant;
}

function parseCalendarDate(value: string): DateTime {
  const date = DateTime.fromISO(value, { zone: 'utc' });
  if (!date.isValid) throw new Error(`Expected a calendar date (YYYY-MM-DD), got ${describe(value)}`);
  return date;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// Both answers depend only on the locale, and building an Intl.DateTimeFormat per message was the largest
// single cost of rendering in a storm (bench profile): they are worked out once per locale.
const intlLocales = new Map<string, string>();
const timeOptionsByLocale = new Map<string, Intl.DateTimeFormatOptions>();

/** The passenger's locale as Intl can format it; bare English means 24-hour, day-first (en-GB). */
function formattingLocale(locale: string): string {
  let found = intlLocales.get(locale);
  if (found === undefined) {
    const supported = localeChain(locale).find((tag) => Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0);
    found = !supported || supported === 'en' ? 'en-GB' : supported;
    if (intlLocales.size < 1_000) intlLocales.set(locale, found);
  }
  return found;
}

/** 24-hour locales pad the hour like a departure board ("08:20"); 12-hour ones do not ("8:20 AM"). */
function timeOptions(intlLocale: string): Intl.DateTimeFormatOptions {
  let options = timeOptionsByLocale.get(intlLocale);
  if (!options) {
    const { hourCycle } = new Intl.DateTimeFormat(intlLocale, { hour: 'numeric' }).resolvedOptions();
    options = { hour: hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric', minute: '2-digit' };
    timeOptionsByLocale.set(intlLocale, options);
  }
  return options;
}
