import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { maskPersonalData } from '../../common/mask';
import type { OpsPrincipal } from '../auth/ops-role';
import { AuditEntry, AuditOutcome, AuditRepository } from './audit.repository';

export type { AuditEntry, AuditOutcome } from './audit.repository';

/** Longest reason kept for a failed action: enough for any error message, not for a pasted event. */
const MAX_REASON = 500;

/** The audit trail of operator actions: replay, re-drive, consent change, erasure; done or failed. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly entries: AuditRepository,
  ) {}

  /** Records an action that took effect; pass the transaction's manager so the record commits with the action itself. */
  async record(
    who: OpsPrincipal,
    action: string,
    what: { target?: string; affected?: number; detail?: Record<string, unknown> },
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await this.entries.insert(m, {
      actor: who.actor,
      role: who.role,
      action,
      target: what.target ?? null,
      affected: what.affected ?? 0,
      outcome: 'succeeded',
      reason: null,
      detail: what.detail ?? null,
    });
  }

  /**
   * Records an action that failed, with the reason. Written on a connection of its own (never the failed
   * transaction, which rolls back), and never throws: the caller is already answering with the action's
   * own error, which matters more than the trail.
   */
  async recordFailure(who: OpsPrincipal, action: string, what: { target?: string; reason: string; status: number }): Promise<void> {
    const reason = maskPersonalData(what.reason).slice(0, MAX_REASON);
    try {
      await this.entries.insert(this.dataSource.manager, {
        actor: who.actor,
        role: who.role,
        action,
        target: what.target ?? null,
        affected: 0,
        outcome: 'failed',
        reason,
        detail: { status: what.status },
      });
    } catch (error) {
      this.logger.error(`could not audit the failed ${action} by ${who.actor} (${reason}): ${(error as Error).message}`);
    }
  }

  list(limit: number, filter: { action?: string; outcome?: AuditOutcome } = {}): Promise<AuditEntry[]> {
    return this.entries.list({ limit, ...filter });
  }
}
