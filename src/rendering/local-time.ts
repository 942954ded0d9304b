import { findAirport } from './airports';
import { rememberRecent } from '../common/remember-recent';
import { localeChain } from './locale-fallback';

type Part = 'time' | 'date' | 'dateTime';

const DATE_OPTIONS: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
// An offset is required: without one the instant would be read in the machine's zone, silently.
const RFC3339_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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

// A storm formats the same few departure times for thousands of passengers of one flight; Intl's format was
// 2.6 % of the service's main thread in the storm's profile. The texts are kept, the oldest dropped past the bound.
const MAX_REMEMBERED_TEXTS = 10_000;
const texts = new Map<string, string>();

function format(value: string, iata: string, locale: string, part: Part): string {
  if (typeof value !== 'string') return formatOnce(value, iata, locale, part); // it throws: the text names the value
  return rememberRecent(texts, `${value}|${iata}|${locale}|${part}`, MAX_REMEMBERED_TEXTS, () => formatOnce(value, iata, locale, part));
}

function formatOnce(value: string, iata: string, locale: string, part: Part): string {
  const zone = findAirport(iata)?.timeZone;
  const calendarDate = part === 'date' && typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  const epochMs = calendarDate ? parseCalendarDate(value, calendarDate) : parseInstant(value);
  // Intl puts narrow/no-break spaces in "8:20 AM"; they are not in the GSM-7 alphabet, so one of them
  // would switch a whole SMS to UCS-2 and halve its length.
  const text = formatter(formattingLocale(locale), calendarDate ? 'UTC' : (zone ?? 'UTC'), part)
    .format(epochMs)
    .replace(/[\u00a0\u202f]/g, ' ');
  // Never show a time that looks local but is not: an unknown airport gets UTC, and says so.
  return zone || calendarDate ? text : `${text} UTC`;
}

function parseInstant(value: unknown): number {
  const match = typeof value === 'string' ? RFC3339_INSTANT.exec(value) : null;
  const epochMs = match ? Date.parse(value as string) : NaN;
  if (!match || Number.isNaN(epochMs) || !isCalendarDay(match)) {
    throw new Error(`Expected an RFC 3339 instant with an offset (e.g. 2026-12-01T07:35:00Z), got ${describe(value)}`);
  }
  return epochMs;
}

function parseCalendarDate(value: string, match: RegExpExecArray): number {
  if (!isCalendarDay(match)) throw new Error(`Expected a calendar date (YYYY-MM-DD), got ${describe(value)}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** Date.parse rolls 30 February over into March; a date that is not on the calendar is an error here. */
function isCalendarDay(match: RegExpExecArray): boolean {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// Building an Intl.DateTimeFormat costs far more than using one, and in a storm thousands of messages
// share a handful of locale × zone pairs: each formatter is built once. Bounded, because locales come
// from events; past the bound a formatter is simply built per use.
const MAX_CACHED = 5_000;
const LATIN_DIGITS: ReadonlySet<string> = new Set(['ar', 'fa', 'ur']);
const intlLocales = new Map<string, string>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(intlLocale: string, timeZone: string, part: Part): Intl.DateTimeFormat {
  const key = `${intlLocale}|${timeZone}|${part}`;
  let found = formatters.get(key);
  if (!found) {
    const options: Intl.DateTimeFormatOptions = {
      timeZone,
      // Times and dates among Latin flight codes stay in Latin digits (Arabic locales default to Arabic-Indic).
      ...(LATIN_DIGITS.has(intlLocale.split('-')[0]) ? { numberingSystem: 'latn' } : {}),
      ...(part === 'time' ? {} : DATE_OPTIONS),
      ...(part === 'date' ? {} : timeOptions(intlLocale)),
    };
    found = new Intl.DateTimeFormat(intlLocale, options);
    if (formatters.size < MAX_CACHED) formatters.set(key, found);
  }
  return found;
}

/** The passenger's locale as Intl can format it; bare English means 24-hour, day-first (en-GB). */
function formattingLocale(locale: string): string {
  let found = intlLocales.get(locale);
  if (found === undefined) {
    const supported = localeChain(locale).find((tag) => Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0);
    found = !supported || supported === 'en' ? 'en-GB' : supported;
    if (intlLocales.size < MAX_CACHED) intlLocales.set(locale, found);
  }
  return found;
}

/** 24-hour locales pad the hour like a departure board ("08:20"); 12-hour ones do not ("8:20 AM"). */
function timeOptions(intlLocale: string): Intl.DateTimeFormatOptions {
  const { hourCycle } = new Intl.DateTimeFormat(intlLocale, { hour: 'numeric' }).resolvedOptions();
  return { hour: hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric', minute: '2-digit' };
}
