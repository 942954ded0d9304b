import { airportCityName } from '../../rendering/airports';
import type { BoardingPassCatalogs } from '../boarding-pass-labels';
import { CANCELLED_WORD } from './pass-status-words';
import { STRING_KEYS } from './pass-json';

/**
 * `<lang>.lproj/pass.strings` for every catalog language: the labels from catalogs/<locale>/boarding-pass.json,
 * the change messages ("Gate %@": Wallet puts the new value in %@), the word for a cancelled flight and the two
 * cities' names. The folder is the catalog's own tag (en, pt-PT, zh-Hans), which is how Apple names lproj folders.
 */
export function passStrings(catalogs: BoardingPassCatalogs, airports: string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const locale of catalogs.locales) {
    const l = catalogs.labels(locale);
    const entries: [string, string][] = [
      [STRING_KEYS.description, l.boardingPass],
      [STRING_KEYS.gate, l.gate],
      [STRING_KEYS.terminal, l.terminal],
      [STRING_KEYS.seat, l.seat],
      [STRING_KEYS.group, l.group],
      [STRING_KEYS.boarding, l.boarding],
      [STRING_KEYS.departure, l.departure],
      [STRING_KEYS.passenger, l.passenger],
      [STRING_KEYS.flight, l.flight],
      [STRING_KEYS.sequence, l.sequence],
      [STRING_KEYS.bookingReference, l.bookingReference],
      [STRING_KEYS.from, l.from],
      [STRING_KEYS.to, l.to],
      [STRING_KEYS.cancelled, CANCELLED_WORD[locale] ?? CANCELLED_WORD.en],
      [STRING_KEYS.gateChanged, `${l.gate}: %@`],
      [STRING_KEYS.boardingChanged, `${l.boarding}: %@`],
      [STRING_KEYS.departureChanged, `${l.departure}: %@`],
      [STRING_KEYS.seatChanged, `${l.seat}: %@`],
      ...[...new Set(airports)].map((code): [string, string] => [`city.${code}`, airportCityName(code, locale)]),
    ];
    files.set(`${locale}.lproj/pass.strings`, entries.map(([k, v]) => `"${escapeStrings(k)}" = "${escapeStrings(v)}";\n`).join(''));
  }
  return files;
}

/** The .strings format's escapes: backslash, double quote, line breaks. */
function escapeStrings(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
