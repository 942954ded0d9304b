import { BcbpTransliterationError } from './bcbp-errors';

/**
 * Transliteration rule (ICAO Doc 9303 part 3 style, as gate readers and APIS expect plain A-Z):
 *  1. NFC-normalise, so a decomposed 'u' + U+0308 is treated like 'ü'.
 *  2. Letters with a conventional multi-letter spelling are replaced: Ä→AE, Ö→OE, Ü→UE, ß→SS, Å→AA,
 *     Æ→AE, Ø→OE, Œ→OE, Þ→TH; letters NFD cannot take apart get their base letter: Ł→L, Đ/Ð→D, Ħ→H, ı→I.
 *  3. NFD-decompose and drop the combining marks: é→E, ñ→N, č→C, ş→S.
 *  4. Hyphens and other whitespace become a space (ICAO writes a filler there); apostrophes and
 *     every other character that is not A-Z or space disappear: O'Brien→OBRIEN.
 *  5. Upper-case, collapse runs of spaces, trim.
 * Scripts with no rule here (Cyrillic, Greek, CJK, ...) vanish entirely; callers get a
 * BcbpTransliterationError and must supply the Latin spelling from the passport.
 */
const MULTI_LETTER: Readonly<Record<string, string>> = {
  Ä: 'AE', ä: 'AE', Ö: 'OE', ö: 'OE', Ü: 'UE', ü: 'UE', ß: 'SS', ẞ: 'SS',
  Å: 'AA', å: 'AA', Æ: 'AE', æ: 'AE', Ø: 'OE', ø: 'OE', Œ: 'OE', œ: 'OE',
  Þ: 'TH', þ: 'TH', Ł: 'L', ł: 'L', Đ: 'D', đ: 'D', Ð: 'D', ð: 'D', Ħ: 'H', ħ: 'H', ı: 'I',
};
const SPECIAL = new RegExp(`[${Object.keys(MULTI_LETTER).join('')}]`, 'g');

export function transliterateName(name: string): string {
  return name
    .normalize('NFC')
    .replace(SPECIAL, (ch) => MULTI_LETTER[ch] ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s\-‐‑‒–—]+/g, ' ')
    .toUpperCase()
    .replace(/[^A-Z ]/g, '')
    .replace(/ +/g, ' ')
    .trim();
}

export const BCBP_NAME_LENGTH = 20;

/**
 * SURNAME/GIVENNAME[TITLE] in at most 20 characters. The title follows the given name without a
 * separator, as in PNR name elements (SMITH/JOHNMR). When too long, shorten in this order so the
 * slash always survives and the surname, the most identifying part, suffers last:
 *  1. drop the title;
 *  2. cut the given name, keeping at least its initial;
 *  3. cut the surname to what is left.
 */
export function formatBcbpName(passenger: { surname: string; givenName: string; title?: string }): string {
  const surname = requireLatin(passenger.surname, 'passenger.surname');
  // An empty given name is allowed (mononymous passengers); a non-Latin one is not.
  const given = passenger.givenName.trim() === '' ? '' : requireLatin(passenger.givenName, 'passenger.givenName');
  const title = passenger.title ? transliterateName(passenger.title).replace(/ /g, '') : '';

  const full = `${surname}/${given}${title}`;
  if (full.length <= BCBP_NAME_LENGTH) return full;
  if (surname.length + 1 + given.length <= BCBP_NAME_LENGTH) return `${surname}/${given}`;

  const givenRoom = Math.max(Math.min(given.length, 1), BCBP_NAME_LENGTH - surname.length - 1);
  const shortGiven = given.slice(0, givenRoom).trimEnd();
  const shortSurname = surname.slice(0, BCBP_NAME_LENGTH - 1 - shortGiven.length).trimEnd();
  return `${shortSurname}/${shortGiven}`;
}

function requireLatin(value: string, field: string): string {
  const latin = transliterateName(value);
  if (latin === '') {
    throw new BcbpTransliterationError(
      `"${value}" has no Latin letters after transliteration; supply the name as written in the passport's machine-readable zone`,
      field,
    );
  }
  return latin;
}
