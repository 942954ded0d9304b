import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { webhookSignature } from '../../src/channels/whatsapp/whatsapp-signature';
import { LocalHttpServer, readBody } from './local-http-server';
import { WhatsAppRequestValidator } from './whatsapp-openapi';

/**
 * A local stand-in for Meta's WhatsApp Cloud API (graph.facebook.com) that holds the service to the
 * official OpenAPI contract: every request body is validated against the spec's request schema of its
 * operation; a body that does not conform is answered with a Graph API error AND recorded in
 * `violations`, which tests assert stays empty. It checks the bearer token, returns wamids and media ids,
 * can be scripted to fail (Graph errors, 5xx, 429, hangs, dropped connections), and posts signed webhooks.
 */

/** What the server answers to one scripted request. */
export type ScriptedResponse =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers (until the server closes): the client's timeout must fire. */
  | { hang: true }
  /** Closes the connection without an answer: a network error. */
  | { drop: true };

/** A Graph API error answer, as the Cloud API sends it. */
export function graphError(
  code: number,
  message: string,
  options: { status?: number; subcode?: number; details?: string; type?: string; isTransient?: boolean; headers?: Record<string, string> } = {},
): ScriptedResponse {
  return {
    status: options.status ?? 400,
    ...(options.headers ? { headers: options.headers } : {}),
    body: {
      error: {
        message: `(#${code}) ${message}`,
        type: options.type ?? 'OAuthException',
        code,
        ...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
        ...(options.isTransient !== undefined ? { is_transient: options.isTransient } : {}),
        error_data: { messaging_product: 'whatsapp', details: options.details ?? message },
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  contentType: string;
  authorization?: string;
  /** The JSON body (messages) or the form fields (media; the file as its metadata). */
  body: unknown;
  /** messages: the recipient and message type. */
  to?: string;
  type?: string;
  /** What the server answered. */
  status?: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
  wamid?: string;
  mediaId?: string;
  /** The message's biz_opaque_callback_data (the service puts its notification id there). */
  callbackData?: string;
}

export interface ContractViolation {
  method: string;
  path: string;
  problems: string[];
  body: unknown;
}

export interface UploadedMedia {
  id: string;
  filename?: string;
  contentType?: string;
  type?: string;
  bytes: Buffer;
}

interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

const digits = (phone: string) => phone.replace(/^\+/, '');

export class WhatsAppContractServer extends LocalHttpServer {
  readonly apiVersion = 'v23.0';
  readonly phoneNumberId = String(100_000_000_000_000 + randomInt(0, 899_999_999_999));
  readonly displayPhoneNumber = '15550783881';
  readonly businessAccountId = '102290129340398';
  readonly accessToken = `EAAG${randomBytes(24).toString('hex')}`;
  readonly appSecret = randomBytes(16).toString('hex');
  readonly verifyToken = `verify-${randomBytes(8).toString('hex')}`;

  readonly requests: RecordedRequest[] = [];
  readonly violations: ContractViolation[] = [];
  readonly media = new Map<string, UploadedMedia>();

  private readonly validator = new WhatsAppRequestValidator();
  private readonly messageScripts = new Map<string, ScriptedResponse[]>();
  private readonly uploadScripts: ScriptedResponse[] = [];
  /** biz_opaque_callback_data of each accepted message, echoed in its status webhooks as Meta does. */
  private readonly callbackData = new Map<string, string>();
  private autoStatus?: { target: () => string | undefined; delayMs: number };
  private readonly pendingWebhooks = new Set<Promise<void>>();

  get baseUrl(): string {
    return this.origin;
  }

  /** The service configuration that points at this server. */
  env(): Record<string, string> {
    return {
      WHATSAPP_BASE_URL: this.baseUrl,
      WHATSAPP_API_VERSION: this.apiVersion,
      WHATSAPP_PHONE_NUMBER_ID: this.phoneNumberId,
      WHATSAPP_ACCESS_TOKEN: this.accessToken,
      WHATSAPP_APP_SECRET: this.appSecret,
      WHATSAPP_VERIFY_TOKEN: this.verifyToken,
    };
  }

  /** The next messages to `to` (E.164 or digits) are answered like this, in order; then normally again. */
  scriptMessages(to: string, ...responses: ScriptedResponse[]): void {
    const key = digits(to);
    this.messageScripts.set(key, [...(this.messageScripts.get(key) ?? []), ...responses]);
  }

  /** The next media uploads are answered like this, in order. */
  scriptUploads(...responses: ScriptedResponse[]): void {
    this.uploadScripts.push(...responses);
  }

  /** The message requests sent to one recipient, oldest first. */
  /** Arrival times of the accepted messages requests, in order. */
  acceptedMessageTimes(): number[] {
    return this.requests.filter((r) => r.to !== undefined && r.status === 200).map((r) => r.at);
  }

  messagesTo(to: string): RecordedRequest[] {
    return this.requests.filter((r) => r.to !== undefined && digits(r.to) === digits(to));
  }

  // ---- webhooks -------------------------------------------------------------------------------------

  /** POSTs a webhook to the service, signed with the app secret unless told otherwise. */
  async postWebhook(
    serviceUrl: string,
    payload: unknown,
    options: { signature?: string | null; rawBody?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const raw = options.rawBody ?? JSON.stringify(payload);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'facebookexternalua' };
    const signature = options.signature === undefined ? webhookSignature(raw, this.appSecret) : options.signature;
    if (signature !== null) headers['X-Hub-Signature-256'] = signature;
    const response = await fetch(`${serviceUrl.replace(/\/+$/, '')}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
    return { status: response.status, body: await response.text() };
  }

  /**
   * After each accepted message, post its `sent` and then `delivered` status webhooks to the service that
   * `target()` names (any live replica), `delayMs` apart, retried until one takes them, as Meta retries.
   */
  sendStatusWebhooks(target: () => string | undefined, delayMs = 200): void {
    this.autoStatus = { target, delayMs };
  }

  /** Waits for the status webhooks still being posted. */
  async statusWebhooksPosted(): Promise<void> {
    while (this.pendingWebhooks.size > 0) await Promise.all([...this.pendingWebhooks]);
  }

  /** Accepted messages per biz_opaque_callback_data (the notification id): more than one is a message sent twice. */
  acceptedByCallbackData(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.requests) if (r.wamid && r.callbackData) counts.set(r.callbackData, (counts.get(r.callbackData) ?? 0) + 1);
    return counts;
  }

  private postStatusesLater(wamid: string, recipient: string): void {
    const auto = this.autoStatus;
    if (!auto) return;
    const posting = (async () => {
      for (const status of ['sent', 'delivered'] as const) {
        await this.delay(auto.delayMs);
        const payload = this.statusPayload({ wamid, status, recipient });
        for (let tries = 0; tries < 600; tries++) {
          const url = auto.target();
          const answer = url ? await this.postWebhook(url, payload).catch(() => undefined) : undefined;
          // 409: the service already has this exact webhook (its earlier answer was lost): delivered.
          if (answer && ((answer.status >= 200 && answer.status < 300) || answer.status === 409)) break;
          await this.delay(250);
        }
      }
    })();
    this.pendingWebhooks.add(posting);
    void posting.finally(() => this.pendingWebhooks.delete(posting));
  }

  /** A status webhook as Meta sends it (statuses[] with conversation and pricing, errors for failed). */
  statusPayload(status: {
    wamid: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    recipient: string;
    at?: Date;
    errors?: { code: number; title: string; details?: string }[];
  }): Record<string, unknown> {
    const timestamp = String(Math.floor((status.at ?? new Date()).getTime() / 1000));
    const entry: Record<string, unknown> = {
      id: status.wamid,
      status: status.status,
      timestamp,
      recipient_id: digits(status.recipient),
      ...(this.callbackData.has(status.wamid) ? { biz_opaque_callback_data: this.callbackData.get(status.wamid) } : {}),
    };
    if (status.status !== 'failed' && status.status !== 'read') {
      entry.conversation = { id: randomBytes(16).toString('hex'), origin: { type: 'utility' } };
      entry.pricing = { billable: true, pricing_model: 'PMP', category: 'utility' };
    }
    if (status.errors) {
      entry.errors = status.errors.map((e) => ({
        code: e.code,
        title: e.title,
        message: e.title,
        error_data: { details: e.details ?? e.title },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      }));
    }
    return this.envelope({ statuses: [entry] });
  }

  /** An incoming text message webhook from a WhatsApp user (`from` without '+', as Meta sends it). */
  inboundTextPayload(message: { from: string; body: string; at?: Date; name?: string }): Record<string, unknown> {
    const from = digits(message.from);
    return this.envelope({
      contacts: [{ profile: { name: message.name ?? 'Luc Desmarais' }, wa_id: from }],
      messages: [
        {
          from,
          id: `wamid.${randomBytes(24).toString('base64')}`,
          timestamp: String(Math.floor((message.at ?? new Date()).getTime() / 1000)),
          type: 'text',
          text: { body: message.body },
        },
      ],
    });
  }

  private envelope(value: Record<string, unknown>): Record<string, unknown> {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.businessAccountId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: this.displayPhoneNumber, phone_number_id: this.phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    };
  }

  // ---- the Cloud API --------------------------------------------------------------------------------

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const contentType = String(req.headers['content-type'] ?? '');
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const at = Date.now();
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path, contentType, authorization: req.headers.authorization, body: undefined, at };
    this.requests.push(record);

    const op = this.validator.findOperation(method, path);
    const segments = path.split('/').filter(Boolean);
    if (!op) {
      this.violate(record, [`${method} ${path} is not an operation of the Cloud API spec`]);
      return this.answer(res, record, graphError(100, 'Unsupported post request.', { type: 'GraphMethodException' }));
    }
    record.operationId = op.operationId;
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      return this.answer(res, record, graphError(190, 'Invalid OAuth access token - Cannot parse access token', { status: 401 }));
    }
    if (segments[0] !== this.apiVersion || segments[1] !== this.phoneNumberId) {
      return this.answer(res, record, graphError(100, `Unsupported post request. Object with ID '${segments[1]}' does not exist`, { subcode: 33 }));
    }

    if (op.pathTemplate === '/{Version}/{Phone-Number-ID}/messages' && method === 'POST') return this.sendMessage(res, record, op, mediaType, raw);
    if (op.pathTemplate === '/{Version}/{Phone-Number-ID}/media' && method === 'POST') return this.uploadMedia(res, record, op, contentType, raw);
    this.violate(record, [`${op.operationId ?? op.pathTemplate} is in the spec but not simulated here`]);
    return this.answer(res, record, { status: 501, body: { error: { message: 'not simulated', type: 'GraphMethodException', code: 1 } } });
  }

  private sendMessage(res: ServerResponse, record: RecordedRequest, op: Parameters<WhatsAppRequestValidator['validate']>[0], mediaType: string, raw: Buffer): void {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = raw.toString('utf8');
    }
    record.body = body;
    const message = (typeof body === 'object' && body !== null ? body : {}) as {
      to?: unknown;
      type?: unknown;
      biz_opaque_callback_data?: unknown;
      template?: { components?: { type?: string; parameters?: { type?: string; document?: { id?: string } }[] }[] };
    };
    if (typeof message.to === 'string') record.to = message.to;
    if (typeof message.type === 'string') record.type = message.type;
    if (typeof message.biz_opaque_callback_data === 'string') record.callbackData = message.biz_opaque_callback_data;

    const problems = this.validator.validate(op, mediaType, body);
    // Beyond the schema: a media id in a template header must be one this API handed out.
    for (const component of message.template?.components ?? []) {
      for (const parameter of component.parameters ?? []) {
        const id = parameter.document?.id;
        if (parameter.type === 'document' && id !== undefined && !this.media.has(id)) problems.push(`document id ${id} was never uploaded`);
      }
    }
    if (problems.length > 0) {
      this.violate(record, problems);
      return this.answer(res, record, graphError(100, 'Invalid parameter', { details: problems.join('; ') }));
    }

    const scripted = record.to !== undefined ? this.messageScripts.get(digits(record.to))?.shift() : undefined;
    if (scripted) return this.answer(res, record, scripted);
    const wamid = `wamid.${Buffer.from(`${digits(record.to ?? '')}_${randomBytes(12).toString('hex')}`).toString('base64')}`;
    record.wamid = wamid;
    if (record.callbackData !== undefined) this.callbackData.set(wamid, record.callbackData);
    this.postStatusesLater(wamid, record.to ?? '');
    return this.answer(res, record, {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: record.to, wa_id: digits(record.to ?? '') }],
        messages: [{ id: wamid, ...(record.type === 'template' ? { message_status: 'accepted' } : {}) }],
      },
    });
  }

  private uploadMedia(res: ServerResponse, record: RecordedRequest, op: Parameters<WhatsAppRequestValidator['validate']>[0], contentType: string, raw: Buffer): void {
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    const parts = mediaType === 'multipart/form-data' && boundary ? parseMultipart(raw, boundary[1] ?? boundary[2]) : [];
    const fields: Record<string, string> = {};
    const file = parts.find((p) => p.name === 'file');
    for (const part of parts) fields[part.name] = part.filename !== undefined ? `<binary ${part.data.length} bytes>` : part.data.toString('utf8');
    record.body = { ...fields, ...(file ? { file: { filename: file.filename, contentType: file.contentType, bytes: file.data.length } } : {}) };

    const problems = this.validator.validate(op, mediaType, fields);
    // Beyond the schema (Meta's media upload guide): file, its MIME type and messaging_product=whatsapp are required.
    if (!file || file.data.length === 0) problems.push('file: a non-empty file part is required');
    if (!fields.type) problems.push('type: the MIME type of the file is required');
    if (fields.messaging_product !== 'whatsapp') problems.push(`messaging_product must be "whatsapp", got ${JSON.stringify(fields.messaging_product)}`);
    if (problems.length > 0) {
      this.violate(record, problems);
      return this.answer(res, record, graphError(100, 'Invalid parameter', { details: problems.join('; ') }));
    }
    const scripted = this.uploadScripts.shift();
    if (scripted) return this.answer(res, record, scripted);
    const id = String(randomInt(1_000_000_000, 9_999_999_999)) + String(randomInt(100_000, 999_999));
    this.media.set(id, { id, filename: file?.filename, contentType: file?.contentType, type: fields.type, bytes: file?.data ?? Buffer.alloc(0) });
    record.mediaId = id;
    return this.answer(res, record, { status: 200, body: { id } });
  }

  private violate(record: RecordedRequest, problems: string[]): void {
    this.violations.push({ method: record.method, path: record.path, problems, body: record.body });
  }

  private answer(res: ServerResponse, record: RecordedRequest, response: ScriptedResponse): void {
    if ('hang' in response) return; // the socket is destroyed when the server closes
    if ('drop' in response) {
      res.socket?.destroy();
      return;
    }
    record.status = response.status;
    const body = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, { 'Content-Type': 'application/json; charset=UTF-8', ...response.headers });
    res.end(body);
  }
}

/** A small multipart/form-data reader (RFC 7578): enough for fields and one file. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // Between "--boundary\r\n" and "\r\n--boundary".
    const chunk = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) parts.push({ name, filename, contentType, data: chunk.subarray(headerEnd + 4) });
    }
    start = next;
  }
  return parts;
}
