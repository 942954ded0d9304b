import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { NotificationProviderStatusRepository, ReportedNotification, ReportEntry, StatusMove } from './notification-provider-status.repository';
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
    const [result] = m ? await this.applyAll(m, [update]) : await this.dataSource.transaction((t) => this.applyAll(t, [update]));
    this.observe(update, result);
    return result;
  }

  /**
   * Applies a group of reports in the caller's transaction, in the order given, as if one after another: three
   * statements for the whole group (lock, timeline, statuses) rather than three or four per report. Two reports of
   * one message in the group (its `sent` and its `delivered`) each find the status the one before left. The caller
   * `observe`s each result (StatusReportInbox once its group has committed).
   */
  async applyAll(m: EntityManager, updates: readonly ProviderStatusUpdate[]): Promise<StatusApplyResult[]> {
    if (updates.length === 0) return [];
    const locked = await this.notifications.lockReported(m, updates);
    const byMessageId = new Map(locked.filter((n) => n.providerMessageId !== null).map((n) => [messageKey(n.channel, n.providerMessageId!), n]));
    const byId = new Map(locked.map((n) => [n.id, n]));
    const entries: ReportEntry[] = [];
    const moves = new Map<string, StatusMove>();
    const results = updates.map((update): StatusApplyResult => {
      const known = byMessageId.get(messageKey(update.channel, update.providerMessageId));
      // Not known by its message id: the provider echoed our notification id, and the send is one whose
      // answer we never stored (in doubt, or still being written back).
      const unanswered = known ? undefined : unansweredById(byId, update);
      const target = known ?? unanswered;
      if (!target) return { outcome: 'unknown-message' };
      const from = target.status;
      const forward = movesForward(from, update.status);
      entries.push({
        notificationId: target.id,
        kind: `provider-${update.status}`,
        detail: {
          providerStatus: update.status,
          providerTime: update.at.toISOString(),
          ...(update.errorCode ? { code: update.errorCode, message: update.errorText } : {}),
          ...(forward ? {} : { ignored: `status stays ${from}` }),
          ...(unanswered ? { matchedBy: 'notification id', was: from } : {}),
          ...update.detail,
        },
      });
      if (!forward) return { outcome: 'recorded-only', notificationId: target.id, status: from };
      moves.set(target.id, moveOn(moves.get(target.id), target.id, update));
      // What the next report of this message in the group finds.
      target.status = update.status;
      if (target.providerMessageId === null) {
        target.providerMessageId = update.providerMessageId;
        byMessageId.set(messageKey(target.channel, update.providerMessageId), target);
      }
      return { outcome: 'applied', notificationId: target.id, from, to: update.status };
    });
    await this.notifications.recordReports(m, entries);
    await this.notifications.applyStatusMoves(m, [...moves.values()]);
    for (const move of moves.values()) if (move.status === 'failed') await this.fallback.afterPermanentFailure(move.notificationId, m);
    return results;
  }

  /** Counts the report in the metrics, and warns of one about a message we do not know. */
  observe(update: ProviderStatusUpdate, result: StatusApplyResult): void {
    this.metrics.providerStatusObserved(update, result);
    if (result.outcome === 'unknown-message') {
      this.logger.warn(`status ${update.status} for unknown ${update.channel} message ${update.providerMessageId}`);
    }
  }
}

function messageKey(channel: string, providerMessageId: string): string {
  return `${channel} ${providerMessageId}`;
}

function unansweredById(byId: Map<string, ReportedNotification>, update: ProviderStatusUpdate): ReportedNotification | undefined {
  const n = update.notificationId === undefined ? undefined : byId.get(update.notificationId);
  return n && n.channel === update.channel && n.providerMessageId === null ? n : undefined;
}

/** The status move so far, with one more report after it: the last error named wins, the first message id stays. */
function moveOn(before: StatusMove | undefined, notificationId: string, update: ProviderStatusUpdate): StatusMove {
  return {
    notificationId,
    status: update.status,
    errorCode: update.errorCode ?? before?.errorCode ?? null,
    errorText: update.errorText ?? before?.errorText ?? null,
    providerMessageId: before?.providerMessageId ?? update.providerMessageId,
  };
}
