import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { extname, join } from 'node:path';
import { Piscina } from 'piscina';
import { encodeBcbp } from './bcbp-encoder';
import { bcbpQrPng } from './bcbp-qr';
import { loadBcbpSigningKey, signBcbp } from './bcbp-signature';
import type { BoardingPassData } from './bcbp-types';
import { boardingPassCatalogs } from './boarding-pass-labels';
import { renderBoardingPassPdf } from './boarding-pass-pdf';
import type { BoardingPassView } from './boarding-pass-view';
import { BCBP_SIGNING_KEY, BOARDING_PASS_THREADS, CATALOGS_DIR } from '../config/config.tokens';
import type { RenderedPass, RenderTask, RenderThreadSetup } from './boarding-pass-render-task';

export interface BoardingPassArtifacts {
  /** The bar code content, signed when a key is configured. */
  bcbp: string;
  /** QR code of `bcbp`, for channels that send an image. */
  qrPng: Buffer;
  /** One page per entry of view.pages, each with the QR of `bcbp` unless the page brings its own. */
  pdf: Buffer;
}

/**
 * Makes a boarding pass's bar code, QR and PDF. With render threads (BOARDING_PASS_THREADS, docs/decisions/
 * 0033) the QR and PDF, a few milliseconds of CPU each, are made on worker threads: a burst of check-ins then
 * uses every core the service may use, and the event loop stays free to claim, send and consume meanwhile.
 */
@Injectable()
export class BoardingPassService implements OnModuleDestroy {
  private readonly signingKey: KeyObject | undefined;
  private readonly catalogsDir: string;
  private readonly threads: Piscina<RenderTask, RenderedPass> | undefined;

  /** @param catalogsDir CATALOGS_DIR; where it is not provided, catalogs/ at the project root. */
  constructor(
    @Optional() @Inject(BCBP_SIGNING_KEY) signingKeyPem?: string,
    @Optional() @Inject(CATALOGS_DIR) catalogsDir?: string,
    @Optional() @Inject(BOARDING_PASS_THREADS) threads = 0,
  ) {
    // Parsed and checked at start-up: a wrong key or a catalog missing a label stops the boot instead of
    // failing every pass.
    this.signingKey = signingKeyPem ? loadBcbpSigningKey(signingKeyPem) : undefined;
    this.catalogsDir = boardingPassCatalogs(catalogsDir).dir;
    if (threads > 0) this.threads = renderThreads(threads, { signingKeyPem, catalogsDir: this.catalogsDir });
  }

  /** The bar code content alone, signed when a key is configured (what a wallet pass's bar code holds). */
  bcbp(data: BoardingPassData): string {
    const unsigned = encodeBcbp(data);
    return this.signingKey ? signBcbp(unsigned, this.signingKey) : unsigned;
  }

  /** The catalogs folder the labels come from (CATALOGS_DIR or catalogs/). */
  get catalogs(): string {
    return this.catalogsDir;
  }

  async buildArtifacts(data: BoardingPassData, view: BoardingPassView, locale: string): Promise<BoardingPassArtifacts> {
    if (this.threads) {
      // Moved, not copied (movablePass): each array owns its ArrayBuffer, which a Buffer can wrap as it is.
      const made = await this.threads.run({ data, view, locale });
      return { bcbp: made.bcbp, qrPng: asBuffer(made.qrPng), pdf: asBuffer(made.pdf) };
    }
    const bcbp = this.bcbp(data);
    // The issuance date pins the PDF CreationDate, so a retry renders byte-identical output.
    const dated: BoardingPassView = { ...view, issuedAt: view.issuedAt ?? data.issuance.date };
    const [qrPng, pdf] = await Promise.all([bcbpQrPng(bcbp), renderBoardingPassPdf(dated, locale, bcbp, { catalogsDir: this.catalogsDir })]);
    return { bcbp, qrPng, pdf };
  }

  /**
   * The render threads' V8 heaps together (each thread has its own, apart from the process's), for the
   * metrics: undefined without threads or on a Node.js without Worker.getHeapStatistics (before 22.16).
   */
  async renderThreadHeaps(): Promise<{ threads: number; usedBytes: number; totalBytes: number; limitBytes: number } | undefined> {
    const workers = this.threads?.threads.filter((w) => typeof w.getHeapStatistics === 'function');
    if (!workers) return undefined;
    const heaps = await Promise.all(workers.map((w) => w.getHeapStatistics().catch(() => undefined)));
    const known = heaps.filter((h) => h !== undefined);
    return {
      threads: known.length,
      usedBytes: known.reduce((sum, h) => sum + h.used_heap_size, 0),
      totalBytes: known.reduce((sum, h) => sum + h.total_heap_size, 0),
      limitBytes: known.reduce((sum, h) => sum + h.heap_size_limit, 0),
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.threads?.destroy();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A render thread's V8 heap, in MB. Left to V8, each thread sized its heap for the machine's whole memory:
 * two threads reserved 420–510 MB in the soak for ≈ 20 MB of live objects each (Latin passes), half the
 * service's resident memory. The young generation is 48 MB rather than decision 0040's 24: a pass allocates a few MB
 * that die with it, and with 24 MB the thread collected them every 6–7 passes (every 13 with 48), and it and V8's
 * helper threads spent 3.2–4.0 ms of CPU per pass where 48 MB took 3.1–3.7 (alternating runs, docs/decisions/0057;
 * V8 rounds a semi-space up to a power of two: 48 is three of 16 MB, a value in between reserves the next size up).
 * The old generation's cap is a backstop at ≈ 4× the worst live set
 * measured (≈ 100 MB after 24,000 passes with random CJK, Hangul and Arabic names: every script's font and
 * its bounded caches): a thread that still reaches it ends, its pass fails and is retried, and Piscina
 * starts another thread with empty caches.
 */
export const RENDER_THREAD_HEAP = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 384 } as const;

/**
 * Passes handed to each render thread at a time. With one, a thread that finished a pass waited for the event
 * loop to take its answer and post the next pass — an event loop busy with ingest and sending left the render
 * threads idle ≈ 18 % of a boarding-pass run (CPU profile). With a few queued, a thread goes on with the next at
 * once and answers several together: 208 → 241 passes/s end to end in alternating runs (docs/decisions/0046).
 */
const PASSES_QUEUED_PER_THREAD = 4;

/**
 * The pool. Its threads load this module's compiled sibling; under ts-jest (tests load the TypeScript
 * sources) they load the .ts file through ts-node, which only tests have.
 */
function renderThreads(threads: number, setup: RenderThreadSetup): Piscina<RenderTask, RenderedPass> {
  const extension = extname(__filename);
  return new Piscina({
    filename: join(__dirname, `boarding-pass.worker${extension}`),
    maxThreads: threads,
    minThreads: 0,
    concurrentTasksPerWorker: PASSES_QUEUED_PER_THREAD,
    // Threads that idle this long exit (each holds its fonts); the next burst starts them again.
    idleTimeout: 60_000,
    workerData: setup,
    resourceLimits: RENDER_THREAD_HEAP,
    // Compiled: the process's own Node.js flags (heap limits, and the bench's --cpu-prof and --expose-gc) apply to
    // the render threads too.
    execArgv: extension === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : undefined,
  });
}
