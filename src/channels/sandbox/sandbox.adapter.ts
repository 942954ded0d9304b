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
parentPort.on('message', (jobs) => {
  const done = [];
  let left = jobs.length;
  const reply = (id, error) => {
    done.push(error ? { id, error: error.message } : { id });
    if (--left === 0) parentPort.postMessage(done);
  };
  for (const job of jobs) write(job, (error) => reply(job.id, error));
});
function write({ folder, files }, callback) {
  const writeAll = () => {
    let left = files.length;
    let failed = false;
    for (const [name, data] of files) {
      writeFile(join(folder, name), data, (error) => {
        if (failed) return;
        if (error) { failed = true; return callback(error); }
        if (--left === 0) callback();
      });
    }
  };
  // One plain mkdir; only when the channel's folder is missing is it made first. EEXIST is a retry.
  mkdir(folder, (error) => {
    if (!error || error.code === 'EEXIST') return writeAll();
    if (error.code !== 'ENOENT') return callback(error);
    mkdir(folder, { recursive: true }, (again) => (again ? callback(again) : writeAll()));
  });
}
`;

/** A writer thread stops after this long without work (tests start many apps in one process). */
const WRITER_IDLE_MS = 10_000;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface WriterThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Written during this turn of the event loop, posted together at its end. */
  queued: WriteJob[];
}

interface WriteJob {
  id: number;
  folder: string;
  files: [string, string | Buffer][];
}

/** One writer thread, started on first use and stopped when idle; a crashed thread fails only its own writes. */
class OutboxWriter {
  private thread?: WriterThread;
  private nextId = 0;
  private idleTimer?: NodeJS.Timeout;

  write(folder: string, files: [string, string | Buffer][]): Promise<void> {
    const thread = this.thread ?? this.start();
    clearTimeout(this.idleTimer);
    return new Promise<void>((resolve, reject) => {
      const id = this.nextId++;
      if (thread.pending.size === 0) thread.worker.ref(); // in flight: keep the process alive until written
      thread.pending.set(id, { resolve, reject });
      // A dispatcher batch sends many messages in one turn of the event loop: they go over in one post.
      if (thread.queued.length === 0) setImmediate(() => flush(thread));
      thread.queued.push({ id, folder, files });
    });
  }

  private start(): WriterThread {
    const worker = new Worker(WRITER_SOURCE, { eval: true });
    worker.unref();
    const thread: WriterThread = { worker, pending: new Map<number, Pending>(), queued: [] };
    worker.on('message', (done: { id: number; error?: string }[]) => {
      for (const { id, error } of done) {
        const waiting = thread.pending.get(id);
        thread.pending.delete(id);
        if (error) waiting?.reject(new Error(error));
        else waiting?.resolve();
      }
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

  private stopWhenIdle(thread: WriterThread): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.thread !== thread || thread.pending.size > 0) return;
      this.thread = undefined;
      void thread.worker.terminate();
    }, WRITER_IDLE_MS);
    this.idleTimer.unref();
  }
}

function flush(thread: WriterThread): void {
  const jobs = thread.queued;
  thread.queued = [];
  if (jobs.length > 0) thread.worker.postMessage(jobs);
}

/** Shared by every sandbox adapter of the process: one writer thread, not one per app. */
const writer = new OutboxWriter();
