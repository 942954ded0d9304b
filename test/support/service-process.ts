import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findProjectRoot } from '../../src/config/project-root';

const ROOT = findProjectRoot(__dirname);
/** How many of the last output lines are kept for error messages and assertions. */
const KEPT_LINES = 2_000;

/** A free TCP port on 127.0.0.1 (the OS picks it; released for the child to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** `<project>/dist/src/main.js`, what `npm run build` makes. */
export const BUILT_MAIN = join(ROOT, 'dist', 'src', 'main.js');

export interface ServiceProcessOptions {
  /** The service's configuration; PORT is added from `port`. The test runner's own environment is inherited under it. */
  env: Record<string, string>;
  port: number;
  /**
   * The compiled entry point to run (BUILT_MAIN, or the bench's own build); without it, src/main.ts through
   * ts-node (transpile only), for what must run outside Jest's module sandbox but needs no build.
   */
  main?: string;
  /** Node options before the entry point (--cpu-prof, -r preload …). */
  nodeArgs?: string[];
  /** Every whole line the service writes, stdout and stderr. */
  onLine?: (line: string) => void;
  /** An IPC channel to the child (process.send in the service). */
  ipc?: boolean;
}

/**
 * The service as an OS process of its own, configured only by its environment like `npm run start:prod`:
 * for replicas that are SIGKILLed (fault suite), measured from outside (bench), or that load what Jest's
 * CommonJS sandbox refuses (the OTLP exporter's dynamic import(), open-telemetry/opentelemetry-js#6035).
 */
export class ServiceProcess {
  readonly output: string[] = [];
  readonly url: string;
  private child?: ChildProcess;

  constructor(private readonly options: ServiceProcessOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  get port(): number {
    return this.options.port;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the service and resolves once /health/ready answers 200 (fails if it exits or takes longer). */
  async start(timeoutMs = 90_000): Promise<void> {
    const { main, env, port, nodeArgs = [], ipc = false } = this.options;
    const entry = main ? [main] : ['-r', 'ts-node/register', join(ROOT, 'src', 'main.ts')];
    const child = spawn(process.execPath, [...nodeArgs, ...entry], {
      cwd: ROOT,
      env: { ...process.env, ...(main ? {} : { TS_NODE_TRANSPILE_ONLY: 'true' }), ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
    });
    this.child = child;
    const keep = (line: string) => {
      if (!line) return;
      this.options.onLine?.(line);
      this.output.push(line);
      if (this.output.length > KEPT_LINES) this.output.splice(0, this.output.length - KEPT_LINES);
    };
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', keep);
    await this.waitReady(timeoutMs);
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await fetch(`${this.url}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ready) return;
      if (this.child && !this.alive) throw new Error(`service exited with ${this.child.exitCode ?? this.child.signalCode}:\n${this.lastLines()}`);
      if (Date.now() > deadline) throw new Error(`service on ${this.port} not ready after ${timeoutMs} ms:\n${this.lastLines()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Sends the signal and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || !this.alive) return Promise.resolve({ code: child?.exitCode ?? null, signal: child?.signalCode ?? null });
    return new Promise((resolve) => {
      child.once('exit', (code, endedBy) => resolve({ code, signal: endedBy }));
      child.kill(signal);
    });
  }

  /**
   * SIGTERM, as an orchestrator stops it: resolves with the exit code once the shutdown hooks have run;
   * SIGKILL if it is still there after `killAfterMs`.
   */
  async stop(killAfterMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child || !this.alive) return child?.exitCode ?? null;
    const ended = this.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const { code } = await ended;
    clearTimeout(timer);
    return code;
  }

  /** A message over the IPC channel (`ipc: true`); resolves with the first answer `accept` takes. */
  ask(message: string, accept: (answer: unknown) => boolean, timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child?.send) return Promise.reject(new Error('the service was started without an IPC channel'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the service did not answer ${message}`)), timeoutMs);
      const answered = (answer: unknown) => {
        if (!accept(answer)) return;
        clearTimeout(timer);
        child.off('message', answered);
        resolve();
      };
      child.on('message', answered);
      child.send(message);
    });
  }

  /** Resident set size in bytes now, from /proc (what the operating system charges the process). */
  residentBytes(): number {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  }

  /** CPU seconds used so far (user + system), from /proc. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  private lastLines(): string {
    return this.output.slice(-20).join('\n');
  }
}
