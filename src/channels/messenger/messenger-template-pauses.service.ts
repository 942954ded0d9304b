import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PipelineMetrics } from '../../metrics/pipeline-metrics';
import { maskMessengerText } from './messenger-errors';
import { MessengerTemplatePause, MessengerTemplatePauseRepository } from './messenger-template-pause.repository';
import type { TemplateStatusValue } from './messenger-webhook-payload';

/** How long a read of the pause table is used: a pause Meta announces holds on every replica within a second. */
const READ_EVERY_MS = 1_000;

/** Events after which Meta refuses the template: out of use until Meta approves it again (as for WhatsApp). */
const OUT_OF_USE: ReadonlySet<string> = new Set(['PAUSED', 'DISABLED', 'REJECTED', 'PENDING_DELETION', 'DELETED']);
/** Events that put a template back in use. */
const BACK_IN_USE: ReadonlySet<string> = new Set(['APPROVED', 'REINSTATED']);
/** Events an operator must hear about at once. */
const ALARMS: ReadonlySet<string> = new Set([...OUT_OF_USE, 'FLAGGED']);

/**
 * The Messenger utility templates Meta took out of use: applied from message_template_status_update (the same
 * events and handling as WhatsApp's), and asked by the adapter before each template send — read at most once
 * a second rather than once a message; a pause found in that copy is read again before it is believed, and the
 * replica that applied a status update reads again at once.
 */
@Injectable()
export class MessengerTemplatePauses {
  private readonly logger = new Logger(MessengerTemplatePauses.name);
  private pauses = new Map<string, MessengerTemplatePause>();
  private readAt = 0;

  constructor(
    private readonly repository: MessengerTemplatePauseRepository,
    private readonly metrics: PipelineMetrics,
  ) {}

  async pauseOf(name: string, language: string): Promise<MessengerTemplatePause | undefined> {
    const key = `${name} ${language}`;
    if (Date.now() - this.readAt <= READ_EVERY_MS && !this.pauses.has(key)) return undefined;
    this.pauses = new Map((await this.repository.all()).map((p) => [`${p.name} ${p.language}`, p]));
    this.readAt = Date.now();
    return this.pauses.get(key);
  }

  /** In the webhook's transaction `m`. Returns what it did to the template. */
  async apply(m: EntityManager, value: TemplateStatusValue): Promise<'out-of-use' | 'back-in-use' | 'recorded'> {
    const { event, message_template_name: name, message_template_language: language } = value;
    const reason = value.reason ?? null;
    const what = `Messenger template ${name} (${language}) ${event}${reason ? `: ${maskMessengerText(String(reason))}` : ''}`;
    this.metrics.messengerTemplateStatus(event);
    if (ALARMS.has(event)) this.logger.error(`ALARM ${what}`);
    else this.logger.log(what);
    if (OUT_OF_USE.has(event)) {
      await this.repository.pause(m, { name, language, event, reason: reason === null ? null : String(reason) });
      return 'out-of-use';
    }
    if (BACK_IN_USE.has(event)) {
      if (await this.repository.lift(m, name, language)) this.logger.log(`Messenger template ${name} (${language}) back in use`);
      return 'back-in-use';
    }
    return 'recorded';
  }

  /** A template status update was committed here: the next question reads the table. */
  changed(): void {
    this.readAt = 0;
  }
}
