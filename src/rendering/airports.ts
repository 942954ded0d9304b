import airportTable from './airport-table.json';
import { localeChain } from './locale-fallback';

export interface Airport {
  /** IATA location code, upper case. */
  iata: string;
  /** IANA time zone; every time shown to a passenger is in this zone. */
  timeZone: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** City name in English. */
  city: string;
  /** City name in Dutch, only where it differs from the English one. */
  cityNl?: string;
}

// Bundled rather than fetched: rendering must not depend on a network call, and the busiest ~380
// airports cover practically every route; an unknown code degrades visibly (UTC marker, raw code).
const AIRPORTS: ReadonlyMap<string, Airport> = new Map(
  (airportTable as Airport[]).map((airport) => [airport.iata, airport]),
);

export function allAirports(): Airport[] {
  return [...AIRPORTS.values()];
}

export function findAirport(iata: string): Airport | undefined {
  return typeof iata === 'string' ? AIRPORTS.get(iata.trim().toUpperCase()) : undefined;
}

/** City name in the passenger's language; falls back to English, then to the code itself. */
export function airportCityName(iata: string, locale: string): string {
  const airport = findAirport(iata);
  if (!airport) return iata;
  const language = localeChain(locale)[0].split('-')[0];
  return (language === 'nl' && airport.cityNl) || airport.city;
}

export function isUnitedStatesAirport(iata: string): boolean {
  return findAirport(iata)?.country === 'US';
}
