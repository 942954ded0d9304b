import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { verifyPartnerSignature } from '../../src/channels/webhook/partner-signature';

/** One webhook as the partner received it, with its own verdict on the signature. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  body: unknown;
  signatureValid: boolean;
}

export type ScriptedPartnerAnswer = { status: number; body?: string; headers?: Record<string, string> } | { delayMs: number; status?: number };

/**
 * A partner's webhook endpoint (node:http on 127.0.0.1:0) doing what we ask partners to do: verify
 * X-Notifier-Signature over the raw body with verifyPartnerSignature (401 when it fails), then answer 204.
 * Answers can be scripted, one per request; every request is recorded.
 */
export class PartnerReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly script: ScriptedPartnerAnswer[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: Server;

  constructor(readonly secret: string, private readonly clock: () => number = Date.now) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('partner receiver not started');
    return `http://127.0.0.1:${address.port}/hooks/flight-news`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  answerNext(...answers: ScriptedPartnerAnswer[]): void {
    this.script.push(...answers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const signatureValid = verifyPartnerSignature(
      this.secret,
      header(req, 'x-notifier-timestamp'),
      raw,
      header(req, 'x-notifier-signature'),
      this.clock(),
    );
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    this.received.push({ path: req.url ?? '', headers: req.headers, rawBody: raw.toString('utf8'), body, signatureValid });

    const scripted = this.script.shift();
    if (scripted && 'delayMs' in scripted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, scripted.delayMs);
        this.timers.add(timer);
      });
      if (res.destroyed) return;
    }
    if (scripted && 'status' in scripted && scripted.status !== undefined) {
      res.writeHead(scripted.status, { 'Content-Type': 'text/plain', ...('headers' in scripted ? scripted.headers : {}) });
      res.end('body' in scripted ? (scripted.body ?? '') : '');
      return;
    }
    if (!signatureValid) {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('bad signature');
      return;
    }
    res.writeHead(204);
    res.end();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
