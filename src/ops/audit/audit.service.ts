import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OpsPrincipal } from '../auth/ops-role';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  affected: number;
  detail: Record<string, unknown> | null;
}

/** The audit trail of operator actions: replay, re-drive, consent change, erasure. */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records an action; pass the transaction's manager so the record commits with the action itself. */
  async record(
    who: OpsPrincipal,
    action: string,
    what: { target?: string; affected?: number; detail?: Record<string, unknown> },
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await m.query(`INSERT INTO audit_log (actor, role, action, target, affected, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
      who.actor,
      who.role,
      action,
      what.target ?? null,
      what.affected ?? 0,
      what.detail ? JSON.stringify(what.detail) : null,
    ]);
  }

  async list(limit: number, action?: string): Promise<AuditEntry[]> {
    return this.dataSource.query(
      `SELECT id::text, at, actor, role, action, target, affected, detail FROM audit_log
        WHERE ($2::text IS NULL OR action = $2) ORDER BY at DESC, id DESC LIMIT $1`,
      [limit, action ?? null],
    );
  }
}
