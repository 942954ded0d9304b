import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { findProjectRoot } from '../config/project-root';
import { DELAY_REASON_KEYS, DELAY_REASONS_NAMESPACE, delayReasonKey, EXPLAINED_DELAY_CODES, UNEXPLAINED_DELAY_CODES } from './iata-delay-codes';

/**
 * The numeric codes AHM 730 defines, as listed by Wikipedia "IATA delay codes" and EUROCONTROL's definition page
 * (docs/decisions/0023-delay-reasons.md): every one is either explained to passengers or deliberately not.
 */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0'));
const AHM_730 = [
  ...range(0, 6), '09', ...range(11, 19), ...range(21, 29), ...range(31, 39), ...range(41, 48), '51', '52', ...range(55, 58),
  ...range(61, 69), '71', '72', '73', '75', '76', '77', ...range(81, 89), ...range(91, 99),
];

const CATALOGS = join(findProjectRoot(), 'catalogs');
const LOCALES = ['en', 'nl', 'de', 'fr', 'es', 'it', 'pt', 'pt-PT', 'ja', 'zh-Hans', 'ko', 'ar'];
/** A folder whose tag names a region is an overlay of its language's catalog (pt-PT over pt): only what differs. */
const isOverlay = (locale: string) => new Intl.Locale(locale).region !== undefined;
const folders = readdirSync(CATALOGS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const baseFolders = folders.filter((f) => !isOverlay(f));
const overlayFolders = folders.filter(isOverlay);
const catalog = (locale: string): Record<string, string> =>
  JSON.parse(readFileSync(join(CATALOGS, locale, `${DELAY_REASONS_NAMESPACE}.json`), 'utf8')) as Record<string, string>;
/** Languages that write a noun phrase after "Reason: " in lower case (German capitalises its nouns anyway). */
const LOWER_CASE_START = new Set(['en', 'nl', 'fr', 'es', 'it', 'pt', 'pt-PT']);

describe('IATA delay codes → delay-reasons keys', () => {
  it.each([
    ['93', 'late-inbound-aircraft'],
    ['71', 'weather-departure'],
    ['72', 'weather-destination'],
    ['73', 'weather-en-route'],
    ['75', 'de-icing'],
    ['76', 'snow-removal'],
    ['77', 'weather-ground-handling'],
    ['81', 'air-traffic-control'],
    ['82', 'air-traffic-control'],
    ['83', 'destination-airport-restrictions'],
    ['84', 'weather-destination'],
    ['89', 'departure-airport-restrictions'],
    ['41', 'technical-issue'],
    ['46', 'aircraft-change'],
    ['11', 'check-in'],
    ['15', 'boarding'],
    ['18', 'baggage'],
    ['64', 'crew-availability'],
    ['85', 'security'],
    ['86', 'border-formalities'],
    ['87', 'airport-facilities'],
    ['95', 'crew-connection'],
    ['96', 'schedule-adjustment'],
  ])('explains %s as %s', (code, key) => {
    expect(delayReasonKey(code)).toBe(key);
  });

  it('reads an AHM 731 sub-code by its two digits', () => {
    expect(delayReasonKey('93A')).toBe('late-inbound-aircraft');
    expect(delayReasonKey('71Z')).toBe('weather-departure');
  });

  it.each(['00', '05', '99', '07', '10', '20', '49', '53', '74', '80', '90', '9', '930', 'RA', '93a', ' 93', '', null, undefined, '__proto__', 'constructor'])(
    'gives no reason for %j (unknown, airline-internal, "other" or malformed)',
    (code) => {
      expect(delayReasonKey(code)).toBeUndefined();
    },
  );

  it('covers every AHM 730 code: explained, or deliberately not', () => {
    expect([...EXPLAINED_DELAY_CODES, ...UNEXPLAINED_DELAY_CODES].sort()).toEqual([...AHM_730].sort());
    expect(EXPLAINED_DELAY_CODES.filter((c) => UNEXPLAINED_DELAY_CODES.includes(c))).toEqual([]);
  });

  it('uses every key of the namespace for some code', () => {
    const used = new Set(EXPLAINED_DELAY_CODES.map((c) => delayReasonKey(c)));
    expect(DELAY_REASON_KEYS.filter((k) => !used.has(k))).toEqual([]);
  });
});

describe(`catalogs/<locale>/${DELAY_REASONS_NAMESPACE}.json`, () => {
  const english = catalog('en');

  it('exists for all twelve locale folders of issue 16', () => {
    expect(LOCALES.filter((l) => !existsSync(join(CATALOGS, l, `${DELAY_REASONS_NAMESPACE}.json`)))).toEqual([]);
    expect(overlayFolders).toContain('pt-PT');
  });

  it('has in English exactly the keys of the code table', () => {
    expect(Object.keys(english).sort()).toEqual([...DELAY_REASON_KEYS].sort());
  });

  it.each(baseFolders)('%s has every English key, so every code in the table is explained there', (locale) => {
    const messages = catalog(locale);
    expect(Object.keys(english).filter((k) => !(k in messages))).toEqual([]);
    expect(Object.keys(messages).filter((k) => !(k in english))).toEqual([]);
    const keys = new Set(Object.keys(messages));
    expect(EXPLAINED_DELAY_CODES.filter((code) => !keys.has(delayReasonKey(code) as string))).toEqual([]);
  });

  it.each(overlayFolders)('%s holds only keys whose wording differs from its base language', (locale) => {
    const base = catalog(new Intl.Locale(locale).language);
    const messages = catalog(locale);
    expect(Object.keys(messages).filter((k) => !(k in english))).toEqual([]);
    expect(Object.keys(messages).filter((k) => messages[k] === base[k])).toEqual([]);
  });

  it.each(folders)('%s: every message parses, takes no argument and formats to itself: a plain noun phrase', (locale) => {
    for (const [key, message] of Object.entries(catalog(locale))) {
      const ast = parse(message);
      expect({ key, kinds: ast.map((element) => TYPE[element.type]) }).toEqual({ key, kinds: ['literal'] });
      expect({ key, formatted: new IntlMessageFormat(message, locale).format() }).toEqual({ key, formatted: message });
      // A value inside "Reason: …": one line, no sentence end, trimmed.
      expect({ key, ok: message.length > 0 && message === message.trim() && !/[\n\t]|[.!?。！？]$/.test(message) }).toEqual({ key, ok: true });
      if (LOWER_CASE_START.has(locale)) expect({ key, first: message[0] }).toEqual({ key, first: message[0].toLowerCase() });
    }
  });
});
