/** Opaque keyset cursor: the position (created_at in microseconds, id) of the last item on a page. */
export function encodeCursor(position: { createdMicros: string; id: string }): string {
  return Buffer.from(`${position.createdMicros}|${position.id}`).toString('base64url');
}

/** A UUID as PostgreSQL reads it (any version): anything looser reaches the database and fails there as a 500. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** At most 18 digits: a bigint, and at most ~31,700 years after 1970, well inside PostgreSQL's timestamp range. */
const MICROS = /^\d{1,18}$/;

/** The position a cursor holds, or undefined when it was not made by encodeCursor (the caller answers 400). */
export function decodeCursor(cursor: string): { createdMicros: string; id: string } | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) return undefined;
  const [createdMicros, id] = parts;
  if (!MICROS.test(createdMicros) || !UUID.test(id)) return undefined;
  return { createdMicros, id };
}
