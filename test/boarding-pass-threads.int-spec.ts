import { generateKeyPairSync } from 'node:crypto';
import { sampleBoardingPassData, sampleBoardingPassView } from '../src/boarding-passes/boarding-pass.sample';
import { Registry } from 'prom-client';
import { BoardingPassService, RENDER_THREAD_HEAP } from '../src/boarding-passes/boarding-pass.service';
import { RenderThreadMetrics } from '../src/boarding-passes/render-thread-metrics';

/**
 * Issue 19, point 3: boarding passes rendered on worker threads are the very bytes the event loop renders
 * (the PDF is deterministic), signed with the same key, in every script the catalogs carry.
 */
describe('boarding passes on render threads', () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const inline = new BoardingPassService(key, undefined, 0);
  const threaded = new BoardingPassService(key, undefined, 2);
  afterAll(() => threaded.onModuleDestroy());

  it('renders on two threads exactly what the event loop renders', async () => {
    const locales = ['en', 'ja', 'ar', 'ko', 'zh-Hans', 'nl'];
    const data = sampleBoardingPassData();
    const view = sampleBoardingPassView();
    // Signatures are ECDSA (random per signing): the bar codes are compared without their security section.
    const unsigned = (bcbp: string) => bcbp.slice(0, bcbp.indexOf('^'));
    const fromThreads = await Promise.all(locales.map((locale) => threaded.buildArtifacts(data, view, locale)));
    for (const [i, locale] of locales.entries()) {
      const made = fromThreads[i];
      expect(Buffer.isBuffer(made.pdf) && Buffer.isBuffer(made.qrPng)).toBe(true);
      // Moved, not cloned: each arrives in an ArrayBuffer of its own size, not as a copy of the thread's Buffer pool.
      expect([made.pdf.buffer.byteLength, made.qrPng.buffer.byteLength]).toEqual([made.pdf.byteLength, made.qrPng.byteLength]);
      expect(made.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const here = await inline.buildArtifacts(data, view, locale);
      expect({ locale, bcbp: unsigned(made.bcbp), signed: made.bcbp.includes('^') }).toEqual({ locale, bcbp: unsigned(here.bcbp), signed: true });
      expect(made.pdf.length).toBeGreaterThan(1_000);
    }
  }, 180_000);

  it("puts the render threads' heaps on the metrics, which the process's own heap gauges leave out", async () => {
    await threaded.buildArtifacts(sampleBoardingPassData(), sampleBoardingPassView(), 'ja'); // a thread is running
    const registry = new Registry();
    new RenderThreadMetrics(threaded, registry).onModuleInit();
    const text = await registry.getSingleMetricAsString('notifier_render_threads_heap_bytes');
    const value = (kind: string) => Number(new RegExp(`kind="${kind}"} (\\d+)`).exec(text)?.[1]);
    // A thread that has parsed fonts holds megabytes; reserved is at least what is in use.
    expect(value('used')).toBeGreaterThan(1_000_000);
    expect(value('total')).toBeGreaterThanOrEqual(value('used'));
    expect(value('limit')).toBeGreaterThan(value('total'));
    expect(await inline.renderThreadHeaps()).toBeUndefined();
  }, 180_000);

  it('caps each render thread\'s heap instead of letting V8 size it for the whole machine', async () => {
    await threaded.buildArtifacts(sampleBoardingPassData(), sampleBoardingPassView(), 'en');
    const heaps = await threaded.renderThreadHeaps();
    const capMb = RENDER_THREAD_HEAP.maxOldGenerationSizeMb + RENDER_THREAD_HEAP.maxYoungGenerationSizeMb;
    expect(heaps?.threads).toBeGreaterThanOrEqual(1);
    // V8's limit per thread: the old generation's cap plus what it counts of the young one (never more than the sum).
    const perThreadMb = (heaps?.limitBytes ?? 0) / (heaps?.threads ?? 1) / 1048576;
    expect(perThreadMb).toBeGreaterThan(RENDER_THREAD_HEAP.maxOldGenerationSizeMb);
    expect(perThreadMb).toBeLessThanOrEqual(capMb);
  }, 180_000);
});
