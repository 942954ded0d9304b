import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Fallback when the contract server (test/support/whatsapp-contract-server.ts, which validates against
 * Meta's OpenAPI document) cannot start: answers POST /<version>/<phone id>/messages as the Cloud API does
 * (a wamid per message) and uploads with a media id, without validating anything.
 */
export class MinimalWhatsAppServer {
  readonly kind = 'minimal local Cloud API stand-in (no contract validation)';
  readonly apiVersion = 'v23.0';
  readonly phoneNumberId = '106540352242922';
  readonly accessToken = `EAAG${randomBytes(16).toString('hex')}`;
  requests = 0;
  private readonly server: Server;
  private port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests += 1;
        const path = req.url ?? '';
        res.writeHead(200, { 'Content-Type': 'application/json' });
        if (path.endsWith('/media')) return res.end(JSON.stringify({ id: String(Date.now()) }));
        const to = (JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { to?: string }).to ?? '';
        res.end(
          JSON.stringify({
            messaging_product: 'whatsapp',
            contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
            messages: [{ id: `wamid.${randomBytes(18).toString('base64')}`, message_status: 'accepted' }],
          }),
        );
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  env(): Record<string, string> {
    return {
      WHATSAPP_BASE_URL: `http://127.0.0.1:${this.port}`,
      WHATSAPP_API_VERSION: this.apiVersion,
      WHATSAPP_PHONE_NUMBER_ID: this.phoneNumberId,
      WHATSAPP_ACCESS_TOKEN: this.accessToken,
      WHATSAPP_APP_SECRET: randomBytes(16).toString('hex'),
      WHATSAPP_VERIFY_TOKEN: `verify-${randomBytes(8).toString('hex')}`,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
