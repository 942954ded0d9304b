import { BcbpInputError } from './bcbp-errors';
import type { BcbpItem } from './bcbp-layout';

/**
 * Writes items in table order. Items after the last one with a value are left out entirely (the
 * conditional sections end where their data ends); a missing item before that is written blank.
 */
export function writeItems<K extends string>(
  table: readonly BcbpItem<K>[],
  values: Partial<Record<K, string>>,
): string {
  let last = -1;
  table.forEach((spec, i) => {
    if (values[spec.key] !== undefined) last = i;
  });
  let out = '';
  for (const spec of table.slice(0, last + 1)) out += fit(values[spec.key] ?? '', spec);
  return out;
}

/** Left-justified and space-padded, as Resolution 792 writes alphanumeric items. */
export function fit(value: string, spec: BcbpItem): string {
  if (value.length > spec.length) {
    // Callers validate first; reaching this is a bug, not bad input, but the message still helps.
    throw new BcbpInputError(`"${value}" is longer than ${spec.length} characters`, spec.item);
  }
  return value.padEnd(spec.length, ' ');
}

/** Upper-cased value that must match `pattern`, else a BcbpInputError naming the field. */
export function checked(value: string, pattern: RegExp, field: string, expected: string): string {
  const upper = value.trim().toUpperCase();
  if (!pattern.test(upper)) throw new BcbpInputError(`"${value}" is not ${expected}`, field);
  return upper;
}

/** Optional one-character code: blank when undefined. */
export function optionalCode(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') return ' ';
  return checked(value, /^[A-Z0-9 ]$/, field, 'a one-character code');
}
