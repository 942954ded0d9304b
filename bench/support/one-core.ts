import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RENDER_THREAD_HEAP } from '../../src/boarding-passes/boarding-pass.service';

const run = promisify(execFile);

export interface OneCoreFigure {
  perSecond: number;
  /** The CPU it was pinned to. */
  cpu: number;
}

/**
 * The pure boarding-pass figure on exactly one core: `benchmarkBoardingPasses` in a child process that `taskset`
 * pins to one CPU, so V8's helper threads (garbage collection, compiling) share that core instead of working on
 * another one for free, as they do when the figure is taken on the bench's own thread (decision 0060). The child's
 * young generation is a render thread's (RENDER_THREAD_HEAP: three semi-spaces), so a pass collects as it does
 * in the service.
 */
export async function passesOnOneCore(count: number, cpu = 0): Promise<OneCoreFigure> {
  const semiSpaceMb = RENDER_THREAD_HEAP.maxYoungGenerationSizeMb / 3;
  const script = join(__dirname, '..', 'one-core', 'passes.js');
  const { stdout } = await run('taskset', ['--cpu-list', String(cpu), process.execPath, `--max-semi-space-size=${semiSpaceMb}`, script, String(count)]);
  const { perSecond } = JSON.parse(stdout.trim()) as { perSecond: number };
  return { perSecond, cpu };
}
