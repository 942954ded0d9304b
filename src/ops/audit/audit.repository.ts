import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export const AUDIT_OUTCOMES = ['succeeded', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What an operator action records: the columns a caller gives. */
export interface AuditRecord {
  actor: string;
  role: string;
  action: string;
  target: string | null;
  affected: number;
  /** Whether the action took effect; a failed one has `reason` and nothing of it was kept. */
  outcome: AuditOutcome;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

/** A stored audit record, with the id and time the table gave it. */
export interface AuditEntry extends AuditRecord {
  id: string;
  at: Date;
}

/** The audit_log table: written once per operator action, never updated. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, r: AuditRecord): Promise<void> {
    await m.query(
      `INSERT INTO audit_log (actor, role, action, target, affected, outcome, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.actor, r.role, r.action, r.target, r.affected, r.outcome, r.reason, r.detail ? JSON.stringify(r.detail) : null],
    );
  }

  list(filter: { limit: number; action?: string; outcome?: AuditOutcome }): Promise<AuditEntry[]> {
    return this.dataSource.query(
      `SELECT id::text, at, actor, role, action, target, affected, outcome, reason, detail FROM audit_log
        WHERE ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR outcome = $3)
        ORDER BY at DESC, id DESC LIMIT $1`,
      [filter.limit, filter.action ?? null, filter.outcome ?? null],
    );
  }
}
