/**
 * Removing one booking's personal values from free-form data (audit details, replay filters, reasons):
 * the values are known (names, phone numbers, e-mail addresses of its passengers and recipients), the
 * places they may have been copied to are not, so every string is searched.
 */

export const ERASED = '[erased]';

/** Shorter values (an initial) would match inside unrelated words; they are left alone. */
const MIN_LENGTH = 2;

/** One booking's personal values, ready to search for: longest first, so a phone goes before its digits. */
export class PersonalValues {
  private readonly patterns: RegExp[];
  readonly values: string[];

  constructor(raw: Iterable<string>) {
    const values = new Set<string>();
    for (const value of raw) {
      const v = value.trim();
      if (v.length < MIN_LENGTH) continue;
      values.add(v);
      // A phone number is also written without its + (WhatsApp ids, some provider answers).
      if (/^\+\d{7,15}$/.test(v)) values.add(v.slice(1));
    }
    this.values = [...values].sort((a, b) => b.length - a.length);
    // Whole words only, in any case: "Li" is erased from "Li Wang" and "WANG/LI", not from "Lisbon".
    this.patterns = this.values.map((v) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(v)}(?![\\p{L}\\p{N}])`, 'giu'));
  }

  get empty(): boolean {
    return this.values.length === 0;
  }

  /** Only the contacts (phone numbers, e-mail addresses): specific enough to look for in anyone's records. */
  contacts(): PersonalValues {
    return new PersonalValues(this.values.filter(isContact));
  }

  scrubText(text: string): string {
    let out = text;
    for (const pattern of this.patterns) out = out.replace(pattern, ERASED);
    return out;
  }

  /** Every string in a JSON value (keys too) with the personal values replaced. */
  scrubJson<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.scrubText(k), this.walk(v)]));
    }
    return value;
  }
}

export function isContact(value: string): boolean {
  return value.includes('@') || /^\+?\d{7,15}$/.test(value);
}

/** Names and contacts inside an event body (a parked one may hold values no table holds). */
export function personalValuesInEvent(body: Buffer): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return [];
  }
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'givenName' || k === 'surname') && typeof v === 'string') found.push(v);
      else if (k === 'contacts' && v !== null && typeof v === 'object') {
        for (const contact of Object.values(v)) if (typeof contact === 'string') found.push(contact);
      } else visit(v);
    }
  };
  visit(parsed);
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
