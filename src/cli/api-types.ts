import type { ParkedEventRecord } from '../events/parked-event.repository';
import type { RenderedContent } from '../rendering/rendered-content';
import type { AuditEntry as ServerAuditEntry } from '../ops/audit/audit.service';
import type { ReplayJob as ServerReplayJob } from '../ops/replay/replay-job.service';

/** The shapes the ops API answers with (see /api/docs); where the server has the type, it is used as JSON sends it. */
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
  /** As the channel carried it: for a WhatsApp template, its name, language and parameters too. */
  content: RenderedContent | null;
  attachments: { name: string; contentType: string; url: string }[];
  boardingPass: Record<string, unknown> | null;
  timeline: TimelineEntry[];
}

export interface NotificationPage {
  items: NotificationSummary[];
  nextCursor: string | null;
}

export type { ReplayOutcome } from '../ops/replay/replay.service';
export type { RedriveOutcome } from '../ops/dead-letters.service';

/** What JSON makes of a server-side shape: dates travel as ISO strings. */
type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type ReplayJob = Json<ServerReplayJob>;
export type DeadLetter = Json<ParkedEventRecord>;
export type AuditEntry = Json<ServerAuditEntry>;

export interface DryRun {
  dryRun: true;
  matched: number;
  /** More than the service's BULK_CONFIRM_ABOVE: the action needs `confirm: matched`. */
  needsConfirmation: boolean;
}

export interface RedriveSummary {
  total: number;
  outcomes: Record<string, number>;
}
