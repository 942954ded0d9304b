/** Opaque keyset cursor: the position (created_at in microseconds, id) of the last item on a page. */
export function encodeCursor(position: { createdMicros: string; id: string }): string {
  return Buffer.from(`${position.createdMicros}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdMicros: string; id: string } | undefined {
  const [createdMicros, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!/^\d{1,18}$/.test(createdMicros ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) return undefined;
  return { createdMicros, id };
}
