import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { maskContact } from '../../common/mask';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../channel-adapter';

/**
 * The default channel when no provider is configured: writes each message, and its attachments, under
 * the outbox folder so a person can open them, and reports it delivered. Writing is idempotent per
 * notification, so a retried send overwrites rather than duplicates.
 */
export class SandboxAdapter implements ChannelAdapter {
  readonly name = 'sandbox';
  private readonly logger = new Logger(SandboxAdapter.name);
  private readonly root: string;

  constructor(outboxDir: string) {
    this.root = resolve(outboxDir);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const folder = join(this.root, message.channel, message.notificationId);
    await mkdir(folder, { recursive: true });
    const { content } = message;
    const writes = [
      writeFile(
        join(folder, 'message.json'),
        JSON.stringify(
          {
            notificationId: message.notificationId,
            type: message.type,
            channel: message.channel,
            to: message.recipient,
            locale: content.locale,
            subject: content.subject,
            text: content.text,
            attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: a.content.length })),
            correlationId: message.correlationId,
          },
          null,
          2,
        ),
      ),
      writeFile(join(folder, 'message.txt'), content.text),
      ...(content.html ? [writeFile(join(folder, 'message.html'), content.html)] : []),
      ...message.attachments.map((a) => writeFile(join(folder, a.name), a.content)),
    ];
    await Promise.all(writes);
    this.logger.debug(`wrote ${message.type} for ${maskContact(message.recipient)} to ${folder}`);
    return { outcome: 'delivered', providerMessageId: `sandbox-${message.notificationId}` };
  }
}
