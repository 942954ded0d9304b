import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { NotificationProviderStatusRepository } from './notification-provider-status.repository';
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
    private readonly notifications: NotificationProviderStatusRepository,
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
    const byMessageId = await this.notifications.lockByProviderMessageId(m, update.channel, update.providerMessageId);
    // Not known by its message id: the provider echoed our notification id, and the send is one whose
    // answer we never stored (in doubt, or still being written back).
    const byNotificationId = !byMessageId && update.notificationId !== undefined;
    const target =
      byMessageId ?? (update.notificationId !== undefined ? await this.notifications.lockUnanswered(m, update.notificationId, update.channel) : undefined);
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
    await this.notifications.recordReport(m, target.id, `provider-${update.status}`, detail);
    if (!forward) return { outcome: 'recorded-only', notificationId: target.id, status: target.status };
    await this.notifications.applyProviderStatus(m, target.id, update);
    if (update.status === 'failed') await this.fallback.afterPermanentFailure(target.id, m);
    return { outcome: 'applied', notificationId: target.id, from: target.status, to: update.status };
  }
}
