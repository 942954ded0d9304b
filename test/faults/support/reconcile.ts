import { Client } from 'pg';
import type { ResendCounts } from './provider';

export interface Reconciliation {
  fault: string;
  published: number;
  applied: number;
  parked: number;
  planned: number;
  sent: number;
  failed: number;
  duplicates: number;
  /** Re-sent to the partner after a crash between its answer and our write; it dropped the copy by Idempotency-Key. */
  resentDropped: number;
  /** Messages the WhatsApp and SMS contract servers took twice for one notification: a passenger messaged twice. */
  resentWhatsApp: number;
  resentSms: number;
  /** Notifications of the stream that were in doubt at some point (and were settled: none is left waiting). */
  inDoubt: number;
  lost: number;
  recoverySeconds: number;
  /** Lines the replicas wrote during this fault, and those of them showing a phone number or e-mail address. */
  logLines?: number;
  personalData?: number;
}

/** Notifications each booking event of the stream plans: WhatsApp and SMS (contract servers) and one partner webhook. */
export const PER_EVENT = 3;

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Waits until every published event has a fate and nothing of the stream is waiting, then counts. */
export async function reconcile(
  url: string,
  fault: string,
  prefix: string,
  published: string[],
  resends: () => ResendCounts,
  recoverySeconds: number,
  timeoutMs = 120_000,
): Promise<Reconciliation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [state] = await query<{ fated: number; waiting: number }>(
      url,
      `SELECT (SELECT count(*) FROM inbox_events WHERE event_id = ANY($1))::int
            + (SELECT count(DISTINCT event_id) FROM parked_events WHERE event_id = ANY($1))::int AS fated,
              (SELECT count(*) FROM notifications WHERE booking_reference LIKE $2 AND status IN ('pending', 'sending', 'in_doubt'))::int AS waiting`,
      [published, `${prefix}%`],
    ).catch(() => [{ fated: -1, waiting: -1 }]);
    if (state.fated === published.length && state.waiting === 0) break;
    if (Date.now() > deadline) throw new Error(`${fault}: not settled (${state.fated}/${published.length} events with a fate, ${state.waiting} waiting)`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const [c] = await query<{ applied: number; parked: number; planned: number; sent: number; failed: number; twice: number; failed_without_reason: number; in_doubt: number }>(
    url,
    `SELECT (SELECT count(*) FROM inbox_events WHERE event_id = ANY($1))::int AS applied,
            (SELECT count(DISTINCT event_id) FROM parked_events WHERE event_id = ANY($1))::int AS parked,
            (SELECT count(*) FROM notifications WHERE booking_reference LIKE $2)::int AS planned,
            (SELECT count(*) FROM notifications WHERE booking_reference LIKE $2 AND status IN ('sent', 'delivered', 'read'))::int AS sent,
            (SELECT count(*) FROM notifications WHERE booking_reference LIKE $2 AND status = 'failed')::int AS failed,
            (SELECT count(*) FROM notifications WHERE booking_reference LIKE $2 AND status = 'failed' AND last_error IS NULL)::int AS failed_without_reason,
            (SELECT count(*) FROM (SELECT e.notification_id FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                                    WHERE n.booking_reference LIKE $2 AND e.kind = 'attempt' AND e.detail->>'outcome' IN ('accepted', 'delivered')
                                    GROUP BY e.notification_id HAVING count(*) > 1) x)::int AS twice,
            (SELECT count(DISTINCT e.notification_id) FROM notification_events e JOIN notifications n ON n.id = e.notification_id
              WHERE n.booking_reference LIKE $2 AND e.kind = 'in-doubt')::int AS in_doubt`,
    [published, `${prefix}%`],
  );
  const expected = c.applied * PER_EVENT;
  const resent = resends();

  return {
    fault,
    published: published.length,
    applied: c.applied,
    parked: c.parked,
    planned: c.planned,
    sent: c.sent,
    failed: c.failed,
    duplicates: c.twice,
    resentDropped: resent.partner,
    resentWhatsApp: resent.whatsapp,
    resentSms: resent.sms,
    inDoubt: c.in_doubt,
    lost: Math.max(0, expected - c.planned) + (published.length - c.applied - c.parked) + c.failed_without_reason,
    recoverySeconds,
  };
}

export function formatReconciliations(rows: Reconciliation[]): string {
  const head = ['fault', 'published', 'applied', 'parked', 'planned', 'sent', 'failed', 'duplicates', 'lost', 'in doubt', 'resent WA', 'resent SMS', 'partner resent+dropped', 'recovery s', 'log lines', 'personal data'];
  const body = rows.map((r) =>
    [r.fault, r.published, r.applied, r.parked, r.planned, r.sent, r.failed, r.duplicates, r.lost, r.inDoubt, r.resentWhatsApp, r.resentSms, r.resentDropped, r.recoverySeconds.toFixed(1), r.logLines ?? '-', r.personalData ?? '-'].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}
