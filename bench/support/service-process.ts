import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { BenchSettings } from './settings';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How long after a full collection resident memory has settled (measured: RSS falls within ≈ 1 s). */
const PAGES_RETURNED_MS = 2_000;

export interface ServiceOptions {
  /** Name in logs, profiles and the broker's connection list. */
  name: string;
  /** The service's configuration (DATABASE_URL, AMQP names, OUTBOX_DIR …); PORT is chosen here. */
  env: Record<string, string>;
}

/**
 * One replica of the built service (`node dist/src/main.js`), configured only by its environment, as in
 * production. Its log goes to bench/results/logs/<name>.log; under --profile it runs with --cpu-prof.
 */
export class ServiceProcess {
  private exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
    readonly profileDir: string | undefined,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(settings: BenchSettings, options: ServiceOptions): Promise<ServiceProcess> {
    // The service of the same build as this file: <out>/bench/support → <out>/src/main.js.
    const main = join(__dirname, '..', '..', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run bench builds into var/bench-build)`);
    const port = await freePort();
    const logs = join(settings.resultsDir, 'logs');
    mkdirSync(logs, { recursive: true });
    const profileDir = settings.profile ? join(settings.resultsDir, 'profiles', settings.runId, options.name) : undefined;
    const nodeArgs = ['-r', join(__dirname, 'exit-after-shutdown.js'), '--expose-gc', '-r', join(__dirname, 'collect-garbage-on-request.js')];
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    }
    const child = spawn(process.execPath, [...nodeArgs, main], {
      cwd: settings.projectRoot,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'text',
        AMQP_CONNECTION_NAME: `bench-${settings.runId}-${options.name}`,
        ...options.env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const log = createWriteStream(join(logs, `${options.name}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const service = new ServiceProcess(options.name, port, child, profileDir);
    await service.waitReady();
    return service;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Resident set size now, from /proc (what the operating system charges the process). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  }

  /**
   * A full garbage collection in the service (see collect-garbage-on-request.ts). V8 hands the freed
   * pages back to the system from background threads, so this waits a moment after the answer before
   * resident memory means anything.
   */
  async collectGarbage(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not answer a garbage collection request`)), 10_000);
      const answered = (message: unknown) => {
        if (message !== 'garbage-collected') return;
        clearTimeout(timer);
        this.child.off('message', answered);
        resolve();
      };
      this.child.on('message', answered);
      this.child.send('collect-garbage');
    });
    await new Promise((resolve) => setTimeout(resolve, PAGES_RETURNED_MS));
  }

  /**
   * V8 heap in use (live objects plus garbage not yet collected), from the service's own /metrics;
   * undefined when the endpoint is not there. RSS says what the process costs, this says what it holds.
   */
  async memory(): Promise<{ heapUsed?: number; heapTotal?: number; external?: number }> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
      if (!response.ok) return {};
      const text = await response.text();
      const gauge = (name: string) => {
        const line = new RegExp(`^\\w*${name}\\s+([\\d.e+]+)`, 'm').exec(text);
        return line ? Number(line[1]) : undefined;
      };
      return { heapUsed: gauge('nodejs_heap_size_used_bytes'), heapTotal: gauge('nodejs_heap_size_total_bytes'), external: gauge('nodejs_external_memory_bytes') };
    } catch {
      return {};
    }
  }

  /** CPU seconds used so far (user + system). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** SIGTERM: the service stops consuming, finishes what it holds and exits (writing its profile). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`service ${this.name} exited during start; see its log under bench/results/logs/`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`);
        if (response.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`service ${this.name} not ready after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
