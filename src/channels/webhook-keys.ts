import { createHash } from 'node:crypto';

/**
 * Canonical keys of provider webhooks. A webhook is recognised by what it says, not by its bytes: the same
 * report re-encoded (another field order, an escaped letter, upper-case signature hex) is the same report,
 * so it must get the same key. Providers' own ids are used where they name one report; anything else is
 * keyed on its normalised form (parsed JSON, decoded form parameters), hashed.
 */

/** JSON with object keys sorted at every level: equal documents give equal text, however they were encoded. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A short, fixed-length key for any document: SHA-256 of its canonical JSON. */
export function contentKey(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * Decoded form parameters in canonical order: names sorted, a repeated name's values sorted (as Twilio
 * signs them), so a reordered or differently percent-encoded form gives the same document.
 */
export function canonicalForm(params: Record<string, string | readonly string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    out[name] = typeof value === 'string' ? value : [...value].sort();
  }
  return out;
}
