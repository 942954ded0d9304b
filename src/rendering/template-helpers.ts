import type { HelperDelegate, HelperOptions } from 'handlebars';
import { airportCityName } from './airports';
import { formatLocalDate, formatLocalDateTime, formatLocalTime } from './local-time';
import { DEFAULT_LOCALE } from './locale-fallback';
import type { RenderContext } from '../vocabulary/render-context';

/**
 * The helpers templates may call. They format with the passenger's locale (the render context's root),
 * not the template file's: an nl-BE passenger reading the nl template still gets nl-BE dates.
 */
export const TEMPLATE_HELPERS: Readonly<Record<string, HelperDelegate>> = {
  localTime: instantHelper('localTime', formatLocalTime),
  localDate: instantHelper('localDate', formatLocalDate),
  localDateTime: instantHelper('localDateTime', formatLocalDateTime),
  city: (airport: unknown, options: HelperOptions): string => {
    return airportCityName(requireString('city', 'an airport code', airport), passengerLocale(options));
  },
  /** "45 minutes late" and "45 minutes earlier" both want the magnitude only. */
  minutes: (value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`minutes: expected a number, got ${String(value)}`);
    }
    return Math.abs(value);
  },
};

type Formatter = (instantIso: string, iata: string, locale: string) => string;

function instantHelper(name: string, format: Formatter): HelperDelegate {
  return (instant: unknown, airport: unknown, options: HelperOptions): string => {
    // With a missing argument Handlebars passes its options object in that slot; say so plainly.
    const iso = requireString(name, 'an instant', instant);
    const iata = requireString(name, 'an airport code', airport);
    return format(iso, iata, passengerLocale(options));
  };
}

function requireString(helper: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${helper}: expected ${what}, got ${value === undefined ? 'undefined' : typeof value}`);
  }
  return value;
}

function passengerLocale(options: HelperOptions | undefined): string {
  const root = (options?.data as { root?: Partial<RenderContext> } | undefined)?.root;
  return typeof root?.locale === 'string' ? root.locale : DEFAULT_LOCALE;
}
