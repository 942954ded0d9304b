import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** A free TCP port on 127.0.0.1 (the OS picks it; released for the child to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The service from its TypeScript sources (ts-node, transpile only) as a process of its own, configured
 * only by its environment like `npm run start:prod`. For what cannot run inside Jest's module sandbox:
 * the OTLP exporter loads node:http with a dynamic import(), which Jest's CommonJS runtime refuses
 * without --experimental-vm-modules (open-telemetry/opentelemetry-js#6035).
 */
export class SourceServiceProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];
  readonly url: string;

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(timeoutMs = 90_000): Promise<void> {
    this.child = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await fetch(`${this.url}/health/ready`).then((r) => r.ok).catch(() => false);
      if (ready) return;
      if (this.child.exitCode !== null) throw new Error(`service exited with ${this.child.exitCode}:\n${this.output.slice(-20).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`service on ${this.port} not ready:\n${this.output.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM, as an orchestrator stops it; resolves with the exit code once the shutdown hooks have run. */
  stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  }
}
