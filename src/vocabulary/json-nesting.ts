/** How deep a JSON body may nest: the event validator refuses deeper ones, the trace reader does not parse them. */
export const MAX_JSON_DEPTH = 32;

/**
 * Counts bracket depth outside strings before JSON.parse, so a hostile body cannot make parsing or
 * schema validation recurse deeply. Malformed input may be miscounted; JSON.parse rejects it anyway.
 */
export function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
