import { availableParallelism } from 'node:os';
import { BoardingPassService } from '../../src/boarding-passes/boarding-pass.service';
import { variedSamplePass } from '../../src/boarding-passes/bench-boarding-pass';
import { threadSecondsByKind } from '../support/cpu-usage';
import { BENCH_LOCALES } from '../support/seed';

/** Passes asked for at once: more than the pool holds (threads × 4 queued), as the dispatcher's batch is. */
const IN_FLIGHT = 16;

/**
 * Run by `renderPoolAlone` in a process of its own: the service's render pool (one thread per core) making the
 * end-to-end run's passes (its locales, the QR PNG beside the PDF) with no pipeline around it. Prints one line of JSON.
 */
async function main(): Promise<void> {
  const [warmUp, count] = process.argv.slice(2, 4).map(Number);
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(warmUp) || warmUp < 0) {
    throw new Error(`render-pool: a warm-up and a positive count are required, got ${process.argv.slice(2).join(' ')}`);
  }
  const threads = availableParallelism();
  const passes = new BoardingPassService(undefined, undefined, threads);
  const pass = (i: number) => {
    const { data, view } = variedSamplePass(i);
    return passes.buildArtifacts(data, view, BENCH_LOCALES[i % BENCH_LOCALES.length]);
  };
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) await pass(next++);
    }));
  };
  await run(warmUp);
  const before = threadSecondsByKind(process.pid);
  const start = process.hrtime.bigint();
  await run(count);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = threadSecondsByKind(process.pid);
  const msPerPass = (kind: string) => Math.round((((after.get(kind) ?? 0) - (before.get(kind) ?? 0)) * 1e6) / count) / 1000;
  await passes.onModuleDestroy();
  process.stdout.write(
    `${JSON.stringify({ perSecond: count / seconds, threads, msPerPass: { mainThread: msPerPass('main thread'), renderThreads: msPerPass('worker threads'), v8Helpers: msPerPass("V8's helper threads") } })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
