import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '../../..');

/**
 * One replica of the built service (dist/) as its own OS process, so it can be SIGKILLed like a real one.
 * Every line it writes (stdout and stderr, whole lines even when a pipe splits them) goes to `onLine`;
 * the last 2,000 are kept for error messages.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly onLine: (line: string) => void = () => undefined,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    this.child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (line: string) => {
      if (!line) return;
      this.onLine(line);
      this.output.push(line);
      if (this.output.length > 2000) this.output.splice(0, this.output.length - 2000);
    };
    for (const stream of [this.child.stdout, this.child.stderr]) if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', keep);
    await this.waitHealthy(timeoutMs);
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${this.port}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`service exited with ${this.child.exitCode}:\n${this.output.slice(-20).join('\n')}`);
      }
      if (Date.now() > deadline) throw new Error(`service on ${this.port} not ready:\n${this.output.slice(-20).join('\n')}`);
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

  /** Resident memory in KiB, from /proc. */
  residentKb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
}
