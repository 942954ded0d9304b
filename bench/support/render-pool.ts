import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SERVICE_MALLOC_ARENA_MAX, SERVICE_NODE_FLAGS } from './bench-service';

const run = promisify(execFile);

export interface RenderPoolFigure {
  perSecond: number;
  threads: number;
  /** CPU milliseconds a pass, by the render pool process's threads. */
  msPerPass: { mainThread: number; renderThreads: number; v8Helpers: number };
}

/**
 * The service's render pool alone, in a child process of its own: its threads make the end-to-end run's passes (after
 * `warmUp` of them, as the end-to-end run's cold check-ins) with no database, broker or sending around them. Between
 * the pinned core and the end-to-end figure it tells what the pool costs from what the pipeline costs (issue 19,
 * point 3; decision 0063).
 */
export async function renderPoolAlone(warmUp: number, count: number): Promise<RenderPoolFigure> {
  const script = join(__dirname, '..', 'render-pool', 'passes.js');
  // The service's Node.js flags and glibc arena limit: its render threads are the service's own.
  const { stdout } = await run(process.execPath, [...SERVICE_NODE_FLAGS, script, String(warmUp), String(count)], {
    env: { ...process.env, MALLOC_ARENA_MAX: SERVICE_MALLOC_ARENA_MAX },
  });
  return JSON.parse(stdout.trim()) as RenderPoolFigure;
}
