import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyPartnerSignature } from '../../src/channels/webhook/partner-signature';
import { LocalHttpServer, readBody } from './local-http-server';

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
export class PartnerReceiver extends LocalHttpServer {
  readonly received: ReceivedWebhook[] = [];
  private readonly script: ScriptedPartnerAnswer[] = [];

  constructor(
    readonly secret: string,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  get url(): string {
    return `${this.origin}/hooks/flight-news`;
  }

  answerNext(...answers: ScriptedPartnerAnswer[]): void {
    this.script.push(...answers);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
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
      await this.delay(scripted.delayMs);
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
