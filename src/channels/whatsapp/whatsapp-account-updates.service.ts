import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { maskPhone } from '../../common/mask';
import { PipelineMetrics } from '../../metrics/pipeline-metrics';
import { maskProviderText } from './whatsapp-errors';
import { WhatsAppTemplatePauseRepository } from './whatsapp-template-pause.repository';
import type { QualityUpdateValue, TemplateStatusValue } from './whatsapp-webhook-payload';

/** Events after which Meta refuses the template: it is taken out of use until Meta approves it again. */
export const TEMPLATE_OUT_OF_USE: ReadonlySet<string> = new Set(['PAUSED', 'DISABLED', 'REJECTED', 'PENDING_DELETION', 'DELETED']);
/** Events that put a template back in use. */
export const TEMPLATE_BACK_IN_USE: ReadonlySet<string> = new Set(['APPROVED', 'REINSTATED']);
/** Events an operator must hear about at once: the template is out of use, or about to be (FLAGGED: quality falling). */
const TEMPLATE_ALARMS: ReadonlySet<string> = new Set([...TEMPLATE_OUT_OF_USE, 'FLAGGED']);
/** Quality events that lower what the number may send, or warn that it will. */
const QUALITY_WARNINGS: ReadonlySet<string> = new Set(['DOWNGRADE', 'FLAGGED']);

/**
 * What Meta tells us about the account rather than about one message: template status updates (which
 * decide whether a template may be used) and the business phone number's quality and messaging limit.
 */
@Injectable()
export class WhatsAppAccountUpdates {
  private readonly logger = new Logger(WhatsAppAccountUpdates.name);

  constructor(
    private readonly pauses: WhatsAppTemplatePauseRepository,
    private readonly metrics: PipelineMetrics,
  ) {}

  /** In the webhook's transaction `m`. Returns what it did to the template. */
  async applyTemplateStatus(m: EntityManager, value: TemplateStatusValue): Promise<'out-of-use' | 'back-in-use' | 'recorded'> {
    const { event, message_template_name: name, message_template_language: language } = value;
    const reason = value.reason ?? value.other_info?.title ?? null;
    const what = `WhatsApp template ${name} (${language}) ${event}${reason ? `: ${maskProviderText(String(reason))}` : ''}`;
    this.metrics.templateStatus(event);
    if (TEMPLATE_ALARMS.has(event)) {
      // The alarm: notifications that need the template wait (PAUSED) or fail over to the next channel.
      this.logger.error(`ALARM ${what}`);
    } else {
      this.logger.log(what);
    }
    if (TEMPLATE_OUT_OF_USE.has(event)) {
      await this.pauses.pause(m, { name, language, event, reason: reason === null ? null : String(reason) });
      return 'out-of-use';
    }
    if (TEMPLATE_BACK_IN_USE.has(event)) {
      if (await this.pauses.lift(m, name, language)) this.logger.log(`WhatsApp template ${name} (${language}) back in use`);
      return 'back-in-use';
    }
    return 'recorded';
  }

  /** Recorded as a log line and metrics (notifier_whatsapp_phone_quality_updates_total, notifier_whatsapp_messaging_limit). */
  recordQuality(value: QualityUpdateValue): void {
    const limit = value.max_daily_conversations_per_business ?? value.current_limit;
    this.metrics.qualityUpdate(value.event, limit);
    const line = `WhatsApp number ${maskPhone(value.display_phone_number ?? '')} quality update ${value.event}${
      value.old_limit ? ` from ${value.old_limit}` : ''
    }${limit ? ` to ${limit}` : ''}`;
    if (QUALITY_WARNINGS.has(value.event)) this.logger.warn(line);
    else this.logger.log(line);
  }
}
