import { mkdir, writeFile } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { maskContact } from '../../common/mask';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../channel-adapter';

/**
 * The default channel when no provider is configured: writes each message, and its attachments, under
 * the outbox folder so a person can open them, and reports it delivered. Writing is idempotent per
 * notification, so a retried send overwrites rather than duplicates.
 *
 * It sits on the hot path of every storm on the sandbox, so it does the least file-system work it can:
 * one plain mkdir per message (the channel's folder is made only when missing) and each file written with
 * the callback API, one promise per message rather than a FileHandle and a promise chain per file.
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
    const { content } = message;
    const files: [string, string | Buffer][] = [
      [
        'message.json',
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
      ],
      ['message.txt', content.text],
      ...(content.html ? [['message.html', content.html] as [string, string]] : []),
      ...message.attachments.map((a) => [a.name, a.content] as [string, Buffer]),
    ];
    await makeFolder(folder);
    await writeFiles(folder, files);
    this.logger.debug(`wrote ${message.type} for ${maskContact(message.recipient)} to ${folder}`);
    return { outcome: 'delivered', providerMessageId: `sandbox-${message.notificationId}` };
  }
}

/** One mkdir; only when the channel's folder is missing is it made first. An existing folder is a retry. */
function makeFolder(folder: string): Promise<void> {
  return new Promise((done, fail) => {
    const attempt = (firstTry: boolean) =>
      mkdir(folder, (error) => {
        if (!error || error.code === 'EEXIST') return done();
        if (error.code !== 'ENOENT' || !firstTry) return fail(error);
        mkdir(dirname(folder), { recursive: true }, (parentError) => (parentError ? fail(parentError) : attempt(false)));
      });
    attempt(true);
  });
}

function writeFiles(folder: string, files: [string, string | Buffer][]): Promise<void> {
  return new Promise((done, fail) => {
    let left = files.length;
    let failed = false;
    for (const [name, data] of files) {
      writeFile(join(folder, name), data, (error) => {
        if (failed) return;
        if (error) {
          failed = true;
          return fail(error);
        }
        if (--left === 0) done();
      });
    }
  });
}
