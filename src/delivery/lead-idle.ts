/** What lane 0 of a channel knows when a claim found nothing to send. */
export interface LeadIdleInput {
  /** Until the channel's earliest pending notification is due (≤ 0: due now), or null when none is pending. */
  nextDueInMs: number | null;
  /** Whether this replica is listening for the planners' NOTIFY (which wakes lane 0 when new work commits). */
  listening: boolean;
  /** DISPATCH_IDLE_MS: the poll interval when nothing else will wake the lane. */
  pollMs: number;
  /** The longest sleep: a safety net for work no NOTIFY announces (another replica's retry, a lost NOTIFY). */
  capMs: number;
}

/**
 * How long lane 0 sleeps after an empty claim. Polling every DISPATCH_IDLE_MS (100 ms) made an idle replica
 * claim ten times a second on each of its seven channels (a claim statement each, planned anew); new work is
 * announced by the planners' NOTIFY, and work already stored becomes due at a time PostgreSQL can tell. So the
 * lane sleeps until the earliest pending notification is due, at most `capMs`, and polls as before only when
 * nothing would wake it (no listener) or when due rows are held by another loop or replica.
 */
export function leadIdleMs({ nextDueInMs, listening, pollMs, capMs }: LeadIdleInput): number {
  if (!listening) return pollMs;
  if (nextDueInMs === null) return capMs;
  if (nextDueInMs <= 0) return pollMs;
  return Math.min(Math.ceil(nextDueInMs), capMs);
}
