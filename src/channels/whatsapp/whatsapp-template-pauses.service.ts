import { Injectable } from '@nestjs/common';
import { TemplatePause, WhatsAppTemplatePauseRepository } from './whatsapp-template-pause.repository';

/** How long a read of the pause table is used: a pause Meta announces holds on every replica within a second. */
const READ_EVERY_MS = 1_000;

/**
 * The templates Meta took out of use, as the adapter asks before each template send: read at most once a
 * second rather than once a message. A pause found in that copy is read again before it is believed (so a
 * notification a lift made due is not put off by a copy from just before the lift), and the replica that
 * applied a template status update reads again at once.
 */
@Injectable()
export class WhatsAppTemplatePauses {
  private pauses = new Map<string, TemplatePause>();
  private readAt = 0;

  constructor(private readonly repository: WhatsAppTemplatePauseRepository) {}

  async pauseOf(name: string, language: string): Promise<TemplatePause | undefined> {
    const key = `${name} ${language}`;
    if (Date.now() - this.readAt <= READ_EVERY_MS && !this.pauses.has(key)) return undefined;
    this.pauses = new Map((await this.repository.all()).map((p) => [`${p.name} ${p.language}`, p]));
    this.readAt = Date.now();
    return this.pauses.get(key);
  }

  /** A template status update was committed here: the next question reads the table. */
  changed(): void {
    this.readAt = 0;
  }
}
