import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { maskContact } from '../../common/mask';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../channel-adapter';

/**
 * The default channel when no provider is configured: writes each message, and its attachments, under
 * the outbox folder so a person can open them, and reports it delivered. Writing is idempotent per
 * notification, so a retried send overwrites rather than duplicates.
 *
 * It sits on the hot path of every storm on the sandbox, so its file-system work (one mkdir and two or three
 * files per message, each a handful of syscalls) runs on a writer thread of its own: the event loop, which
 * renders and sends, only posts a message and awaits the answer.
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
    await writer.write(folder, files);
    this.logger.debug(`wrote ${message.type} for ${maskContact(message.recipient)} to ${folder}`);
    return { outcome: 'delivered', providerMessageId: `sandbox-${message.notificationId}` };
  }
}

/**
 * The writer thread's code (plain JavaScript, evaluated by the Worker): per message, one mkdir and the
 * files, with the callback API. Its callbacks and syscalls run beside the event loop rather than on it.
 */
const WRITER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { mkdir, writeFile } = require('node:fs');
const { join } = require('node:path');
parentPort.on('message', ({ id, folder, files }) => {
  const reply = (error) => parentPort.postMessage(error ? { id, error: error.message } : { id });
  const writeAll = () => {
    let left = files.length;
    let failed = false;
    for (const [name, data] of files) {
      writeFile(join(folder, name), data, (error) => {
        if (failed) return;
        if (error) { failed = true; return reply(error); }
        if (--left === 0) reply();
      });
    }
  };
  // One plain mkdir; only when the channel's folder is missing is it made first. EEXIST is a retry.
  mkdir(folder, (error) => {
    if (!error || error.code === 'EEXIST') return writeAll();
    if (error.code !== 'ENOENT') return reply(error);
    mkdir(folder, { recursive: true }, (again) => (again ? reply(again) : writeAll()));
  });
});
`;

/** A writer thread stops after this long without work (tests start many apps in one process). */
const WRITER_IDLE_MS = 10_000;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** One writer thread, started on first use and stopped when idle; a crashed thread fails only its own writes. */
class OutboxWriter {
  private thread?: { worker: Worker; pending: Map<number, Pending> };
  private nextId = 0;
  private idleTimer?: NodeJS.Timeout;

  write(folder: string, files: [string, string | Buffer][]): Promise<void> {
    const thread = this.thread ?? this.start();
    clearTimeout(this.idleTimer);
    return new Promise<void>((resolve, reject) => {
      const id = this.nextId++;
      if (thread.pending.size === 0) thread.worker.ref(); // in flight: keep the process alive until written
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, folder, files });
    });
  }

  private start(): { worker: Worker; pending: Map<number, Pending> } {
    const worker = new Worker(WRITER_SOURCE, { eval: true });
    worker.unref();
    const thread = { worker, pending: new Map<number, Pending>() };
    worker.on('message', ({ id, error }: { id: number; error?: string }) => {
      const waiting = thread.pending.get(id);
      thread.pending.delete(id);
      if (error) waiting?.reject(new Error(error));
      else waiting?.resolve();
      if (thread.pending.size === 0) {
        worker.unref();
        this.stopWhenIdle(thread);
      }
    });
    const fail = (error: Error) => {
      if (this.thread === thread) this.thread = undefined;
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`outbox writer stopped (exit code ${code})`)));
    this.thread = thread;
    return thread;
  }

  private stopWhenIdle(thread: { worker: Worker; pending: Map<number, Pending> }): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.thread !== thread || thread.pending.size > 0) return;
      this.thread = undefined;
      void thread.worker.terminate();
    }, WRITER_IDLE_MS);
    this.idleTimer.unref();
  }
}

/** Shared by every sandbox adapter of the process: one writer thread, not one per app. */
const writer = new OutboxWriter();
