import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/config/project-root';
import { productionNodeFlags } from '../../test/support/production-start';
import { freePort, ServiceProcess } from '../../test/support/service-process';
import type { BenchSettings } from './settings';

/** How long after a full collection resident memory has settled (measured: RSS falls within ≈ 1 s). */
const PAGES_RETURNED_MS = 2_000;

/** glibc's arena limit for the service: the Dockerfile's (decision 0037), unless the bench's environment sets another. */
export const SERVICE_MALLOC_ARENA_MAX = process.env.MALLOC_ARENA_MAX ?? '2';

/**
 * The service's Node.js flags: `npm run start:prod`'s, which are the Dockerfile's (V8's heap growth, decision 0042),
 * unless the bench's environment sets others (`BENCH_SERVICE_NODE_FLAGS`, space-separated; empty for Node's defaults).
 */
export const SERVICE_NODE_FLAGS: readonly string[] =
  process.env.BENCH_SERVICE_NODE_FLAGS?.split(' ').filter(Boolean) ?? productionNodeFlags(findProjectRoot(__dirname));

export interface BenchServiceOptions {
  /** Name in logs, profiles and the broker's connection list. */
  name: string;
  /** The service's configuration (DATABASE_URL, AMQP names, OUTBOX_DIR …); PORT is chosen here. */
  env: Record<string, string>;
}

/**
 * One replica of the bench's build of the service (`node var/bench-build/src/main.js`, the shared
 * test/support/service-process.ts), configured only by its environment, as in production. Its log goes to
 * bench/results/logs/<name>.log; under --profile it runs with --cpu-prof.
 */
export class BenchService {
  private constructor(
    readonly name: string,
    private readonly process: ServiceProcess,
    readonly profileDir: string | undefined,
  ) {}

  static async start(settings: BenchSettings, options: BenchServiceOptions): Promise<BenchService> {
    // The service of the same build as this file: <out>/bench/support → <out>/src/main.js.
    const main = join(__dirname, '..', '..', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run bench builds into var/bench-build)`);
    const logs = join(settings.resultsDir, 'logs');
    mkdirSync(logs, { recursive: true });
    const profileDir = settings.profile ? join(settings.resultsDir, 'profiles', settings.runId, options.name) : undefined;
    const nodeArgs = ['-r', join(__dirname, 'exit-after-shutdown.js'), '--expose-gc', '-r', join(__dirname, 'collect-garbage-on-request.js')];
    nodeArgs.push(...SERVICE_NODE_FLAGS);
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    }
    const log = createWriteStream(join(logs, `${options.name}.log`));
    const service = new ServiceProcess({
      main,
      nodeArgs,
      ipc: true,
      port: await freePort(),
      env: {
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'text',
        AMQP_CONNECTION_NAME: `bench-${settings.runId}-${options.name}`,
        MALLOC_ARENA_MAX: SERVICE_MALLOC_ARENA_MAX,
        ...options.env,
      },
      onLine: (line) => log.write(`${line}\n`),
    });
    try {
      await service.start(60_000);
    } catch (error) {
      throw new Error(`service ${options.name} did not start (its log: bench/results/logs/${options.name}.log): ${(error as Error).message}`);
    }
    return new BenchService(options.name, service, profileDir);
  }

  get port(): number {
    return this.process.port;
  }

  /** Where its HTTP server answers (webhooks, /metrics). */
  get url(): string {
    return this.process.url;
  }

  get pid(): number {
    return this.process.pid ?? 0;
  }

  /** Resident set size now, from /proc (what the operating system charges the process). */
  rssBytes(): number {
    return this.process.residentBytes();
  }

  /** CPU seconds used so far (user + system). */
  cpuSeconds(): number {
    return this.process.cpuSeconds();
  }

  /**
   * A full garbage collection in the service (see collect-garbage-on-request.ts). V8 hands the freed
   * pages back to the system from background threads, so this waits a moment after the answer before
   * resident memory means anything.
   */
  async collectGarbage(): Promise<void> {
    await this.process.ask('collect-garbage', (answer) => answer === 'garbage-collected');
    await new Promise((resolve) => setTimeout(resolve, PAGES_RETURNED_MS));
  }

  /**
   * V8 heap in use (live objects plus garbage not yet collected), from the service's own /metrics;
   * undefined when the endpoint is not there. RSS says what the process costs, this says what it holds.
   */
  async memory(): Promise<{ heapUsed?: number; heapTotal?: number; external?: number; renderHeapUsed?: number; renderHeapTotal?: number }> {
    try {
      const response = await fetch(`${this.url}/metrics`);
      if (!response.ok) return {};
      const text = await response.text();
      const gauge = (name: string) => {
        const line = new RegExp(`^\\w*${name}\\s+([\\d.e+]+)`, 'm').exec(text);
        return line ? Number(line[1]) : undefined;
      };
      return {
        heapUsed: gauge('nodejs_heap_size_used_bytes'),
        heapTotal: gauge('nodejs_heap_size_total_bytes'),
        external: gauge('nodejs_external_memory_bytes'),
        // The render threads' heaps are their own: the gauges above count the main thread alone.
        renderHeapUsed: gauge('notifier_render_threads_heap_bytes\\{kind="used"\\}'),
        renderHeapTotal: gauge('notifier_render_threads_heap_bytes\\{kind="total"\\}'),
      };
    } catch {
      return {};
    }
  }

  /** SIGTERM: the service stops consuming, finishes what it holds and exits (writing its profile). */
  async stop(): Promise<void> {
    await this.process.stop(30_000);
  }
}
