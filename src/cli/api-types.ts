/** The shapes the ops API answers with (see /api/docs). */
export interface NotificationSummary {
  id: string;
  type: string;
  channel: string;
  status: string;
  bookingReference: string;
  passengerId: string;
  flight: string | null;
  locale: string;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  detail: Record<string, unknown> | null;
}

export interface NotificationDetail extends NotificationSummary {
  recipient: string;
  attempts: number;
  providerMessageId: string | null;
  lastError: { code: string; message: string | null } | null;
  content: { locale: string; text: string; subject?: string; html?: string } | null;
  attachments: { name: string; contentType: string; url: string }[];
  boardingPass: Record<string, unknown> | null;
  timeline: TimelineEntry[];
}

export interface NotificationPage {
  items: NotificationSummary[];
  nextCursor: string | null;
}

export type ReplayOutcome = { outcome: 'replayed'; previousStatus: string } | { outcome: 'skipped'; reason: string };

export interface ReplayJob {
  id: string;
  status: 'running' | 'done';
  total: number;
  replayed: number;
  skipped: number;
  filter: Record<string, unknown>;
  force: boolean;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface DryRun {
  dryRun: true;
  matched: number;
}

export interface DeadLetter {
  id: string;
  reasonCode: string;
  reason: string;
  type: string | null;
  source: string | null;
  eventId: string | null;
  routingKey: string;
  parkedAt: string;
  redrivenAt: string | null;
}

export type RedriveOutcome =
  | { kind: 'applied'; type: string; notifications: number }
  | { kind: 'duplicate'; type: string }
  | { kind: 'parked'; reasonCode: string; reason: string }
  | { kind: 'skipped'; reason: string };

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  affected: number;
  detail: Record<string, unknown> | null;
}
