import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { AFTER_PERMANENT_FAILURE, type PermanentFailureHook } from './permanent-failure';
import { movesForward, ProviderStatusUpdate, StatusApplyResult } from './provider-status';

/**
 * Applies provider reports to notifications. Reports arrive in any order and repeated; each is written to
 * the timeline, and the status moves only forward. A failure runs the after-permanent-failure hook (delivery's
 * fallback: a critical type falls back to the next channel).
 */
@Injectable()
export class ProviderStatusService {
  private readonly logger = new Logger(ProviderStatusService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AFTER_PERMANENT_FAILURE) private readonly fallback: PermanentFailureHook,
    private readonly metrics: PipelineMetrics,
  ) {}

  /**
   * Applies one report. With `m` it runs in the caller's transaction (a webhook's, whose receipt commits
   * with it), the fallback of a failed critical notification included; without, in one of its own.
   */
  async apply(update: ProviderStatusUpdate, m?: EntityManager): Promise<StatusApplyResult> {
    const result = m ? await this.applyIn(m, update) : await this.dataSource.transaction((t) => this.applyIn(t, update));
    this.metrics.providerStatusObserved(update, result);
    if (result.outcome === 'unknown-message') {
      this.logger.warn(`status ${update.status} for unknown ${update.channel} message ${update.providerMessageId}`);
    }
    return result;
  }

  private async applyIn(m: EntityManager, update: ProviderStatusUpdate): Promise<StatusApplyResult> {
    const rows: { id: string; status: string }[] = await m.query(
      `SELECT id, status FROM notifications WHERE channel = $1 AND provider_message_id = $2 FOR UPDATE`,
      [update.channel, update.providerMessageId],
    );
    // Not known by its message id: the provider echoed our notification id, and the send is one whose
    // answer we never stored (in doubt, or still being written back).
    const byNotificationId = !rows[0] && update.notificationId !== undefined;
    if (byNotificationId) {
      rows.push(
        ...(await m.query(
          `SELECT id, status FROM notifications WHERE id = $1 AND channel = $2 AND provider_message_id IS NULL FOR UPDATE`,
          [update.notificationId, update.channel],
        )),
      );
    }
    const target = rows[0];
    if (!target) return { outcome: 'unknown-message' };
    const forward = movesForward(target.status, update.status);
    const detail = {
      providerStatus: update.status,
      providerTime: update.at.toISOString(),
      ...(update.errorCode ? { code: update.errorCode, message: update.errorText } : {}),
      ...(forward ? {} : { ignored: `status stays ${target.status}` }),
      ...(byNotificationId ? { matchedBy: 'notification id', was: target.status } : {}),
      ...update.detail,
    };
    await m.query(`INSERT INTO notification_events (notification_id, kind, detail) VALUES ($1, $2, $3)`, [
      target.id,
      `provider-${update.status}`,
      JSON.stringify(detail),
    ]);
    if (!forward) return { outcome: 'recorded-only', notificationId: target.id, status: target.status };
    // Settling a send in doubt (or mid write-back): the message id becomes known, and no claim holds it any more.
    await m.query(
      `UPDATE notifications SET status = $2, updated_at = now(),
              last_error_code = COALESCE($3, last_error_code), last_error = COALESCE($4, last_error),
              provider_message_id = COALESCE(provider_message_id, $5), claimed_until = NULL, in_doubt_since = NULL
        WHERE id = $1`,
      [target.id, update.status, update.errorCode ?? null, update.errorText ?? null, update.providerMessageId],
    );
    if (update.status === 'failed') await this.fallback.afterPermanentFailure(target.id, m);
    return { outcome: 'applied', notificationId: target.id, from: target.status, to: update.status };
  }
}
