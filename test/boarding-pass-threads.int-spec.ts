import { generateKeyPairSync } from 'node:crypto';
import { sampleBoardingPassData, sampleBoardingPassView } from '../src/boarding-passes/boarding-pass.sample';
import { Registry } from 'prom-client';
import { BoardingPassService } from '../src/boarding-passes/boarding-pass.service';
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
    expect(await inline.renderThreadHeaps()).toBeUndefined();
  }, 180_000);
});
