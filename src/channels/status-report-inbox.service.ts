import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupCommitBatcher } from '../common/group-commit-batcher';
import { ProviderStatusService } from '../notifications/provider-status.service';
import type { ProviderStatusUpdate, StatusApplyResult } from '../notifications/provider-status';
import { Once, WebhookInbox } from './webhook-inbox.service';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

/** Groups applied at once by one replica: one fills while the other commits. */
const LANES = 2;
/** Most reports in one group: a few milliseconds of statements, so a webhook's answer never waits long for others. */
const MAX_GROUP = 200;

interface Waiting {
  provider: string;
  key: string;
  update: ProviderStatusUpdate;
  resolve: (once: Once<StatusApplyResult>) => void;
  reject: (error: unknown) => void;
}

/**
 * Status reports from every provider's webhooks (WhatsApp statuses, Twilio status callbacks), applied exactly once
 * as WebhookInbox applies a report, but many requests' reports in one transaction: receipts, locks, timeline and
 * statuses one statement each for the whole group (docs/decisions/0053). A provider posts one webhook per status, so
 * a storm of messages brings two or three times as many webhooks; one by one, each was a transaction of six round
 * trips. Each caller's promise settles after its group commits. Should a group fail, each of its reports is applied
 * again on its own, so one report that cannot be stored fails only its own request (the provider retries that one);
 * a report alone in its group fails at once, as it did before groups.
 */
@Injectable()
export class StatusReportInbox {
  private readonly logger = new Logger(StatusReportInbox.name);
  private readonly groups = new GroupCommitBatcher<Waiting>(LANES, MAX_GROUP, (group) => this.applyGroup(group));

  constructor(
    private readonly dataSource: DataSource,
    private readonly receipts: WebhookReceiptsRepository,
    private readonly statuses: ProviderStatusService,
    private readonly inbox: WebhookInbox,
  ) {}

  /** Applies the report unless its `key` was applied before (then `applied: false`), once its group has committed. */
  apply(provider: string, key: string, update: ProviderStatusUpdate): Promise<Once<StatusApplyResult>> {
    return new Promise((resolve, reject) => this.groups.add({ provider, key, update, resolve, reject }));
  }

  private async applyGroup(group: Waiting[]): Promise<void> {
    let outcomes: Once<StatusApplyResult>[];
    try {
      outcomes = await this.dataSource.transaction(async (m) => {
        const fresh: boolean[] = new Array(group.length).fill(false);
        for (const provider of new Set(group.map((w) => w.provider))) {
          const indexes = group.flatMap((w, i) => (w.provider === provider ? [i] : []));
          const isNew = await this.receipts.recordAll(m, provider, indexes.map((i) => group[i].key));
          indexes.forEach((index, j) => (fresh[index] = isNew[j]));
        }
        const applied = await this.statuses.applyAll(m, group.filter((_, i) => fresh[i]).map((w) => w.update));
        return fresh.map((isNew): Once<StatusApplyResult> => (isNew ? { applied: true, result: applied.shift()! } : { applied: false }));
      });
    } catch (error) {
      // A report alone fails its own request, as WebhookInbox's do: the provider retries it.
      if (group.length === 1) return group[0].reject(error);
      this.logger.warn(`a group of ${group.length} status reports failed (${(error as Error).message}); applying each on its own`);
      await Promise.all(group.map((w) => this.inbox.applyOnce(w.provider, w.key, (m) => this.statuses.apply(w.update, m)).then(w.resolve, w.reject)));
      return;
    }
    group.forEach((w, i) => {
      const once = outcomes[i];
      if (once.applied) this.statuses.observe(w.update, once.result);
      w.resolve(once);
    });
  }
}
