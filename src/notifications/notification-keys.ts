/**
 * The columns a notification is found by and no write after its insert changes — dedupe key, booking,
 * passenger, flight, type, channel — are indexed in `notification_keys` rather than on notifications
 * itself, whose rows are rewritten by every claim and send (migration 1764000020000, docs/decisions/0039).
 * A lookup by them is a semi-join through that table: `where` names its columns unqualified and may only
 * use them; `alias` is the notifications table's alias in the caller's statement, if it has one.
 */
export function keysMatch(where: string, alias?: 'n'): string {
  return alias === 'n'
    ? `n.id IN (SELECT id FROM notification_keys WHERE ${where})`
    : `id IN (SELECT id FROM notification_keys WHERE ${where})`;
}
