import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderMode = 'ok' | 'timeout' | 'error' | 'rate-limited';

/** Copies of one notification that reached each provider during a fault (a passenger or partner messaged twice). */
export interface ResendCounts {
  whatsapp: number;
  sms: number;
  partner: number;
}

/**
 * A partner endpoint that honours Idempotency-Key (the notification id) as partners are asked to: a copy
 * of a message it already took is acknowledged and dropped, and counted, so the suite can report how
 * often a crash made the service send again. Its mode can be switched to fail.
 */
export class CountingProvider {
  readonly received = new Map<string, number>();
  requests = 0;
  mode: ProviderMode = 'ok';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Copies of messages it had already taken (re-sent after a crash), dropped by their Idempotency-Key. */
  get redelivered(): number {
    return [...this.received.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      this.requests++;
      if (this.mode === 'timeout') return; // never answers; the adapter's timeout fires
      if (this.mode === 'error') return void res.writeHead(503).end('unavailable');
      if (this.mode === 'rate-limited') return void res.writeHead(429, { 'Retry-After': '1' }).end('slow down');
      const key = String(req.headers['idempotency-key'] ?? '');
      this.received.set(key, (this.received.get(key) ?? 0) + 1);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  }
}
