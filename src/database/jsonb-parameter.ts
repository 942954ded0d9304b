/** jsonb's binary input format (PostgreSQL's jsonb_recv): a version byte, 1, then the JSON text. */
const JSONB_VERSION = 1;
const OPEN = Buffer.from([JSONB_VERSION, 0x5b]); // version, '['
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * A JSON array as a `jsonb` statement parameter (`$n::jsonb`), in PostgreSQL's binary form: node-postgres sends a
 * Buffer as a binary parameter and PostgreSQL reads it with jsonb's binary input, which is the version byte and the text.
 *
 * Why not `JSON.stringify(items)`: each element is stringified on its own and the pieces are joined as bytes, so no
 * string of the whole array is ever made. A string over ≈ 128 KB is too large for V8's ordinary heap pages and gets
 * memory of its own, and on Node 24 on our 2-core VMs building one cost 4–5× as much a byte: a write-back of 385
 * e-mail results (≈ 0.5 MB) took 16–25 µs a row from the rows to the bytes node-postgres sends, and 3.3–5.2 µs a row
 * this way (docs/decisions/0060).
 */
export function jsonbArray(items: readonly unknown[]): Buffer {
  const parts: Buffer[] = [OPEN];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(Buffer.from(JSON.stringify(items[i]) ?? 'null'));
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
