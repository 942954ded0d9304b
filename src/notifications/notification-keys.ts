/**
 * The columns a notification is found by and no write after its insert changes — dedupe key, booking,
 * passenger, flight, type, channel — are indexed in `notification_keys` rather than on notifications
 * itself, whose rows are rewritten by every claim and send (migration 1764000020000, docs/decisions/0039).
 * A lookup by them is a semi-join through that table: `where` names its columns unqualified and may only
 * use them; `alias` is the notifications table's alias in the caller's statement, if it has one.
 * The planner chooses how to join, which the read API's filters need (a common type is best found by walking
 * newest-first and checking each row's keys).
 */
export function keysMatch(where: string, alias?: 'n'): string {
  return alias === 'n' ? `n.id IN (SELECT id FROM notification_keys WHERE ${where})` : `id IN (SELECT id FROM notification_keys WHERE ${where})`;
}

/**
 * The same lookup for a set known to be small — one flight's, one booking's, one passenger's notifications:
 * the ids are read first and each notification is then found by its primary key, whatever the statistics
 * say. Left to the planner, which prices each of those lookups as a random read, a lookup of a flight's
 * pending news scanned every pending notification and hash-joined them in some storms (37 ms a call instead
 * of well under one, docs/decisions/0043).
 */
export function keysMatchFew(where: string, alias?: 'n'): string {
  return alias === 'n'
    ? `n.id = ANY (ARRAY(SELECT id FROM notification_keys WHERE ${where}))`
    : `id = ANY (ARRAY(SELECT id FROM notification_keys WHERE ${where}))`;
}
