import { join, resolve } from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { maskContact } from '../../common/mask';
import type { DeliveryChannel } from '../../vocabulary/notification-types';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';

/**
 * The default channel when no provider is configured: writes each message, and its attachments, into
 * the outbox so a person can open them, and reports it delivered. Writing is idempotent per
 * notification, so a retried send overwrites rather than duplicates.
 *
 * Layout: `<outbox>/<channel>/<notification id>.json` (who, what, the text), beside it `<id>.html` for an
 * e-mail and `<id>.<attachment name>` for each attachment. One file for a text message and no folder per
 * message: creating a file or folder is the expensive part (≈ 0.7 ms of kernel CPU each on this VM's
 * disk), and a storm on the sandbox is what everyone tries first.
 *
 * Its file-system work runs on a writer thread of its own: the event loop, which renders and sends, only
 * posts the files and awaits the answer.
 */
export class SandboxAdapter implements ChannelAdapter {
  readonly name = 'sandbox';
  /** A second write of the same notification overwrites its file: nothing is duplicated. */
  readonly inDoubt: InDoubtSettlement = 'resend';
  private readonly logger = new Logger(SandboxAdapter.name);
  private readonly root: string;

  constructor(outboxDir: string) {
    this.root = resolve(outboxDir);
  }

  /**
   * Starts the writer thread now instead of on the first message: a thread takes 90–100 ms to start on a slow
   * machine, and the first flight after a start waited for it (decision 0044). Unused, it stops when idle.
   */
  prepare(): void {
    writer.prepare();
  }

  /** Where a message's summary is (or will be) written: `<outbox>/<channel>/<id>.json`. */
  messageFile(channel: DeliveryChannel, notificationId: string): string {
    return join(this.root, channel, `${notificationId}.json`);
  }

  /** Where an attachment of a message is written, beside its summary. */
  attachmentFile(channel: DeliveryChannel, notificationId: string, name: string): string {
    return join(this.root, channel, `${notificationId}.${name}`);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const folder = join(this.root, message.channel);
    const id = message.notificationId;
    const { content } = message;
    const attachments = message.attachments.map((a) => ({ ...a, file: `${id}.${a.name}` }));
    const summary = {
      notificationId: id,
      type: message.type,
      channel: message.channel,
      to: message.recipient,
      locale: content.locale,
      subject: content.subject,
      text: content.text,
      // WhatsApp outside the 24-hour window sends this form: template, language and parameters.
      whatsappTemplate: content.whatsappTemplate,
      html: content.html ? `${id}.html` : undefined,
      attachments: attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: a.content.length, file: a.file })),
      correlationId: message.correlationId,
    };
    const files: [string, string | Buffer][] = [
      [`${id}.json`, JSON.stringify(summary, null, 2)],
      ...(content.html ? [[`${id}.html`, content.html] as [string, string]] : []),
      ...attachments.map((a) => [a.file, a.content] as [string, Buffer]),
    ];
    try {
      await writer.write(folder, files);
    } catch (error) {
      // Our disk, not a provider: the cause (ENOSPC, EACCES, ENOTDIR … with the path) is what an operator needs.
      return { outcome: 'retryable', code: 'outbox-write-failed', message: (error as Error).message, local: true };
    }
    this.logger.debug(`wrote ${message.type} for ${maskContact(message.recipient)} to ${folder}`);
    return { outcome: 'delivered', providerMessageId: `sandbox-${id}` };
  }
}

/**
 * The writer thread's code (plain JavaScript, evaluated by the Worker): writes each job's files into its
 * channel folder, making the folder only the first time a write finds it missing.
 *
 * Synchronous calls, on purpose: this thread exists to block on the file system so the event loop does not. The
 * asynchronous `writeFile` sent each file's open, write and close through libuv's thread pool (three hand-offs
 * between threads per file, and the pool shared with DNS lookups and zlib): 30–42 µs of CPU per 900-byte file
 * on tmpfs against 15–16 µs written here directly (docs/decisions/0057).
 */
const WRITER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
parentPort.on('message', (jobs) => {
  const done = [];
  for (const { id, folder, files } of jobs) {
    try {
      for (const [name, data] of files) write(join(folder, name), folder, data);
      done.push({ id });
    } catch (error) {
      done.push({ id, error: error.message });
    }
  }
  parentPort.postMessage(done);
});
function write(path, folder, data) {
  try {
    writeFileSync(path, data);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    mkdirSync(folder, { recursive: true });
    writeFileSync(path, data);
  }
}
`;

/** A writer thread stops after this long without work (tests start many apps in one process). */
const WRITER_IDLE_MS = 10_000;

/**
 * The writer thread's V8 heap, in MB. Left to V8, its young generation grew to 64 MB in a 10-minute soak
 * (`--trace-gc-verbose`: 2 → 64 MB committed, doubling late in the run) for 3–4 MB of live objects: resident
 * memory that never came back (decision 0042). Its jobs are short-lived strings; the files' bytes are outside the heap.
 */
export const WRITER_THREAD_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 } as const;

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

  /** Starts the thread if none runs; it stops after WRITER_IDLE_MS unless work comes. */
  prepare(): void {
    if (this.thread) return;
    this.stopWhenIdle(this.start());
  }

  private start(): WriterThread {
    const worker = new Worker(WRITER_SOURCE, { eval: true, resourceLimits: WRITER_THREAD_HEAP });
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
    // After the listeners: adding a 'message' listener refs the worker again, and an idle thread must not keep
    // the process alive.
    worker.unref();
    this.thread = thread;
    return thread;
  }

  /** The running writer thread's heap limits (none while no thread runs). */
  heapLimits(): ResourceLimits | undefined {
    return this.thread?.worker.resourceLimits;
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

/** The writer thread's heap limits while it runs, for tests. */
export function outboxWriterHeapLimits(): ResourceLimits | undefined {
  return writer.heapLimits();
}
