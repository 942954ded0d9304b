import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessengerTemplateCreateRequest } from '../../src/channels/messenger/messenger-template-export';
import { webhookSignature } from '../../src/channels/whatsapp/whatsapp-signature';
import { LocalHttpServer, readBody } from './local-http-server';
import { parseMultipart } from './whatsapp-contract-server';

/**
 * A local stand-in for Meta's Messenger Platform (graph.facebook.com) written from its public documentation —
 * the Send API reference, "Send a utility message", "Saving assets" (Attachment Upload API), the Page's
 * message_templates reference and "Meta Webhooks for Messenger Platform" with its event references. It checks
 * every request: path (version and Page id), auth (the Page access token as `access_token`), and body shape;
 * a template must be one the Page has (created through message_templates, as the export does) and carry a
 * non-empty text parameter for every placeholder of its body — so every fact the message tells has its value.
 * A request that breaks the contract is answered with a Graph API error AND recorded in `violations`, which
 * tests assert stays empty. It keeps the 24-hour window (a person's message opens it): a RESPONSE outside it
 * is refused with 10/2018278, as Meta does. It can be scripted to fail and posts signed webhooks.
 */

export type ScriptedResponse = { status: number; body?: unknown; headers?: Record<string, string> } | { hang: true } | { drop: true };

/** A Graph API error answer. */
export function graphError(code: number, message: string, options: { status?: number; subcode?: number; type?: string; isTransient?: boolean; headers?: Record<string, string> } = {}): ScriptedResponse {
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
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Whether the access_token query parameter was the Page's token. */
  authorized: boolean;
  body: unknown;
  /** The recipient's PSID (messages). */
  psid?: string;
  kind?: 'text' | 'file' | 'template' | 'upload' | 'template-create' | 'template-list';
  status?: number;
  /** When the request arrived (ms): the time Meta gives an accepted message, which watermarks compare with. */
  at: number;
  mid?: string;
  attachmentId?: string;
}

export interface ContractViolation {
  method: string;
  path: string;
  problems: string[];
  body: unknown;
}

interface PageTemplate {
  name: string;
  language: string;
  body: string;
  placeholders: number;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MESSAGING_TYPES = new Set(['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY']);
const ATTACHMENT_TYPES = new Set(['image', 'audio', 'video', 'file', 'template']);
/** "Saving assets": assets up to 25 MB. */
const MAX_ASSET_BYTES = 25 * 1024 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const unknownKeys = (value: Record<string, unknown>, allowed: readonly string[], where: string) =>
  Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${where}.${k} is not a field of the Send API`);

export class MessengerContractServer extends LocalHttpServer {
  readonly apiVersion = 'v25.0';
  readonly pageId = String(100_000_000_000_000 + randomInt(0, 899_999_999_999));
  readonly appId = String(randomInt(100_000_000, 999_999_999));
  readonly accessToken = `EAAJ${randomBytes(24).toString('hex')}`;
  readonly appSecret = randomBytes(16).toString('hex');
  readonly verifyToken = `verify-${randomBytes(8).toString('hex')}`;

  readonly requests: RecordedRequest[] = [];
  readonly violations: ContractViolation[] = [];
  readonly templates = new Map<string, PageTemplate>();
  readonly attachments = new Map<string, { filename?: string; contentType?: string; bytes: Buffer }>();

  private readonly windows = new Map<string, number>();
  private readonly messageScripts = new Map<string, ScriptedResponse[]>();
  private readonly uploadScripts: ScriptedResponse[] = [];

  /** The service configuration that points at this server. */
  env(): Record<string, string> {
    return {
      CHANNEL_MESSENGER: 'messenger-platform',
      MESSENGER_BASE_URL: this.origin,
      MESSENGER_API_VERSION: this.apiVersion,
      MESSENGER_PAGE_ID: this.pageId,
      MESSENGER_PAGE_ACCESS_TOKEN: this.accessToken,
      MESSENGER_APP_SECRET: this.appSecret,
      MESSENGER_VERIFY_TOKEN: this.verifyToken,
    };
  }

  /** A PSID of its own for a scenario. */
  newPsid(): string {
    return longId(16);
  }

  /** The next messages to `psid` are answered like this, in order; then normally again. */
  scriptMessages(psid: string, ...responses: ScriptedResponse[]): void {
    this.messageScripts.set(psid, [...(this.messageScripts.get(psid) ?? []), ...responses]);
  }

  scriptUploads(...responses: ScriptedResponse[]): void {
    this.uploadScripts.push(...responses);
  }

  /** The person wrote to the Page at `at`: Meta lets the Page answer freely for 24 hours. */
  openWindow(psid: string, at = Date.now()): void {
    this.windows.set(psid, Math.max(at, this.windows.get(psid) ?? 0));
  }

  /** Templates approved on the Page without going through the API (a Page set up before the test). */
  approve(requests: readonly MessengerTemplateCreateRequest[]): void {
    for (const r of requests) this.templates.set(`${r.name} ${r.language}`, { name: r.name, language: r.language, body: r.components[0].text, placeholders: placeholders(r.components[0].text).length });
  }

  /** Send API requests to one person, oldest first. */
  messagesTo(psid: string): RecordedRequest[] {
    return this.requests.filter((r) => r.psid === psid && (r.kind === 'text' || r.kind === 'file' || r.kind === 'template'));
  }

  // ---- webhooks -------------------------------------------------------------------------------------

  /** POSTs a webhook to the service, signed with the app secret unless told otherwise (null: no header). */
  async postWebhook(serviceUrl: string, payload: unknown, options: { signature?: string | null; rawBody?: string } = {}): Promise<{ status: number; body: string }> {
    const raw = options.rawBody ?? JSON.stringify(payload);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'facebookexternalua' };
    const signature = options.signature === undefined ? webhookSignature(raw, this.appSecret) : options.signature;
    if (signature !== null) headers['X-Hub-Signature-256'] = signature;
    const response = await fetch(`${serviceUrl.replace(/\/+$/, '')}/webhooks/messenger`, { method: 'POST', headers, body: raw });
    return { status: response.status, body: await response.text() };
  }

  /** message_deliveries: every message sent before `watermark` (ms) was delivered; `mids` sometimes names them. */
  deliveryPayload(psid: string, watermark: number, mids?: string[]): Record<string, unknown> {
    return this.page([{ sender: { id: psid }, recipient: { id: this.pageId }, delivery: { ...(mids ? { mids } : {}), watermark } }]);
  }

  /** message_reads: every message sent before or at `watermark` (ms) was read. */
  readPayload(psid: string, watermark: number): Record<string, unknown> {
    return this.page([{ sender: { id: psid }, recipient: { id: this.pageId }, timestamp: Date.now(), read: { watermark } }]);
  }

  /** messages: a person writes to the Page (which opens the window here, as at Meta). */
  inboundTextPayload(psid: string, text: string, at = Date.now()): Record<string, unknown> {
    this.openWindow(psid, at);
    return this.page([{ sender: { id: psid }, recipient: { id: this.pageId }, timestamp: at, message: { mid: mid(), text } }]);
  }

  /** messaging_postbacks: a person taps a postback button or menu item. */
  postbackPayload(psid: string, payload: string, title: string, at = Date.now()): Record<string, unknown> {
    this.openWindow(psid, at);
    return this.page([{ sender: { id: psid }, recipient: { id: this.pageId }, timestamp: at, postback: { mid: mid(), title, payload } }]);
  }

  /** message_echoes: a message the Page sent, echoed with the metadata it carried. */
  echoPayload(request: RecordedRequest): Record<string, unknown> {
    const message = isObject(request.body) && isObject(request.body.message) ? request.body.message : {};
    return this.page([
      {
        sender: { id: this.pageId },
        recipient: { id: request.psid },
        timestamp: request.at,
        message: { is_echo: true, app_id: Number(this.appId), mid: request.mid, ...(typeof message.metadata === 'string' ? { metadata: message.metadata } : {}), ...(typeof message.text === 'string' ? { text: message.text } : {}) },
      },
    ]);
  }

  /** message_template_status_update on the Page, as a field change. */
  templateStatusPayload(event: string, name: string, language: string, reason?: string): Record<string, unknown> {
    return {
      object: 'page',
      entry: [
        {
          id: this.pageId,
          time: Date.now(),
          changes: [{ field: 'message_template_status_update', value: { event, message_template_id: randomInt(1e9, 9e9), message_template_name: name, message_template_language: language, ...(reason ? { reason } : {}) } }],
        },
      ],
    };
  }

  private page(messaging: Record<string, unknown>[]): Record<string, unknown> {
    return { object: 'page', entry: [{ id: this.pageId, time: Date.now(), messaging }] };
  }

  // ---- the Graph API --------------------------------------------------------------------------------

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://graph.invalid');
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path: url.pathname, authorized: url.searchParams.get('access_token') === this.accessToken, body: undefined, at: Date.now() };
    this.requests.push(record);
    const [version, node, edge, ...rest] = url.pathname.split('/').filter(Boolean);
    if (version !== this.apiVersion || rest.length > 0 || !edge) {
      this.violate(record, [`${method} ${url.pathname} is not /${this.apiVersion}/{page-id}/{edge}`]);
      return this.answer(res, record, graphError(100, 'Unknown path components', { type: 'GraphMethodException' }));
    }
    if (req.headers.authorization) this.violate(record, ['the Page access token goes as access_token, as the Messenger docs send it; no Authorization header is expected']);
    if (!record.authorized) return this.answer(res, record, graphError(190, 'Invalid OAuth access token - Cannot parse access token', { status: 400 }));
    if (node !== this.pageId) return this.answer(res, record, graphError(100, `Unsupported post request. Object with ID '${node}' does not exist`, { subcode: 33 }));
    const contentType = String(req.headers['content-type'] ?? '');
    if (method === 'POST' && edge === 'messages') return this.sendMessage(res, record, contentType, raw);
    if (method === 'POST' && edge === 'message_attachments') return this.upload(res, record, contentType, raw);
    if (method === 'POST' && edge === 'message_templates') return this.createTemplate(res, record, contentType, raw);
    if (method === 'GET' && edge === 'message_templates') {
      record.kind = 'template-list';
      const data = [...this.templates.values()].map((t) => ({ name: t.name, language: t.language, status: 'APPROVED', category: 'UTILITY' }));
      return this.answer(res, record, { status: 200, body: { data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } } });
    }
    this.violate(record, [`${method} /{page-id}/${edge} is not simulated (and not used by the service)`]);
    return this.answer(res, record, graphError(100, 'Unsupported request', { type: 'GraphMethodException' }));
  }

  private sendMessage(res: ServerResponse, record: RecordedRequest, contentType: string, raw: Buffer): void {
    const problems: string[] = [];
    if (!contentType.toLowerCase().startsWith('application/json')) problems.push(`Content-Type ${contentType} (the service sends JSON)`);
    const body = parseJson(raw);
    record.body = body;
    if (!isObject(body)) return this.refuse(res, record, ['the body is not a JSON object']);
    problems.push(...unknownKeys(body, ['recipient', 'messaging_type', 'message', 'notification_type', 'tag'], 'body'));
    const recipient = body.recipient;
    if (!isObject(recipient) || typeof recipient.id !== 'string' || !/^\d+$/.test(recipient.id)) problems.push('recipient.id must be a Page-scoped ID (digits)');
    else record.psid = recipient.id;
    const type = body.messaging_type;
    if (typeof type !== 'string' || !MESSAGING_TYPES.has(type)) problems.push(`messaging_type ${JSON.stringify(type)} is not RESPONSE, UPDATE, MESSAGE_TAG or UTILITY`);
    const message = body.message;
    if (!isObject(message)) return this.refuse(res, record, [...problems, 'message is required']);
    problems.push(...unknownKeys(message, ['text', 'attachment', 'template', 'metadata', 'quick_replies'], 'message'));
    const contents = ['text', 'attachment', 'template'].filter((k) => message[k] !== undefined);
    if (contents.length !== 1) problems.push(`message must have exactly one of text, attachment, template (has ${contents.join(', ') || 'none'})`);
    if (message.metadata !== undefined && (typeof message.metadata !== 'string' || message.metadata.length > 1000)) problems.push('message.metadata must be a string of at most 1,000 characters');
    if (message.text !== undefined) {
      record.kind = 'text';
      if (typeof message.text !== 'string' || message.text.length === 0 || message.text.length > 2000) problems.push('message.text must be UTF-8 text of 1 to 2,000 characters');
    }
    if (message.attachment !== undefined) {
      record.kind = 'file';
      const attachment = message.attachment;
      const payload = isObject(attachment) ? attachment.payload : undefined;
      if (!isObject(attachment) || !ATTACHMENT_TYPES.has(String(attachment.type))) problems.push('message.attachment.type must be image, audio, video, file or template');
      const id = isObject(payload) ? payload.attachment_id : undefined;
      if (typeof id !== 'string' || !this.attachments.has(id)) problems.push(`message.attachment.payload.attachment_id ${JSON.stringify(id)} was never uploaded`);
    }
    if (message.template !== undefined) {
      record.kind = 'template';
      if (type !== 'UTILITY') problems.push('a utility template is sent with messaging_type UTILITY');
      problems.push(...this.templateProblems(message.template));
    }
    if (problems.length > 0) return this.refuse(res, record, problems);
    const scripted = record.psid !== undefined ? this.messageScripts.get(record.psid)?.shift() : undefined;
    if (scripted) return this.answer(res, record, scripted);
    const opened = this.windows.get(record.psid ?? '');
    if (type === 'RESPONSE' && (opened === undefined || record.at - opened >= WINDOW_MS)) {
      return this.answer(res, record, graphError(10, 'This message is sent outside of allowed window.', { subcode: 2018278 }));
    }
    record.mid = mid();
    return this.answer(res, record, { status: 200, body: { recipient_id: record.psid, message_id: record.mid } });
  }

  /** A template the Page has, with a non-empty text parameter for each placeholder of its body. */
  private templateProblems(template: unknown): string[] {
    if (!isObject(template)) return ['message.template must be an object'];
    const problems = unknownKeys(template, ['name', 'language', 'components'], 'message.template');
    const language = isObject(template.language) ? template.language.code : undefined;
    if (typeof template.name !== 'string' || typeof language !== 'string') return [...problems, 'message.template needs name and language.code'];
    const known = this.templates.get(`${template.name} ${language}`);
    if (!known) return [...problems, `template ${template.name} (${language}) is not one of the Page's templates`];
    const components = template.components === undefined ? [] : template.components;
    if (!Array.isArray(components)) return [...problems, 'message.template.components must be an array'];
    const body = components.filter((c) => isObject(c) && c.type === 'body');
    if (components.length !== body.length) problems.push('only a body component is expected (the templates have no header or buttons)');
    const parameters = body.flatMap((c) => (isObject(c) && Array.isArray(c.parameters) ? (c.parameters as unknown[]) : []));
    if (parameters.length !== known.placeholders) problems.push(`template ${known.name} has ${known.placeholders} placeholders, ${parameters.length} parameters sent`);
    parameters.forEach((p, i) => {
      if (!isObject(p) || p.type !== 'text' || typeof p.text !== 'string' || p.text.trim() === '') problems.push(`parameter ${i + 1} must be {type: "text", text: <non-empty>}`);
    });
    return problems;
  }

  private upload(res: ServerResponse, record: RecordedRequest, contentType: string, raw: Buffer): void {
    record.kind = 'upload';
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    const parts = contentType.toLowerCase().startsWith('multipart/form-data') && boundary ? parseMultipart(raw, boundary[1] ?? boundary[2]) : [];
    const file = parts.find((p) => p.name === 'filedata');
    const message = parseJson(parts.find((p) => p.name === 'message')?.data ?? Buffer.alloc(0));
    record.body = { message, filedata: file ? { filename: file.filename, contentType: file.contentType, bytes: file.data.length } : undefined };
    const problems: string[] = [];
    const attachment = isObject(message) ? message.attachment : undefined;
    const payload = isObject(attachment) ? attachment.payload : undefined;
    if (!isObject(attachment) || !['image', 'audio', 'video', 'file'].includes(String(attachment.type))) problems.push('message.attachment.type must be image, audio, video or file');
    if (!isObject(payload) || typeof payload.is_reusable !== 'boolean') problems.push('message.attachment.payload.is_reusable must be true or false');
    if (!file || file.data.length === 0) problems.push('filedata: a non-empty file part is required');
    else {
      if (!file.contentType) problems.push('filedata needs its Content-Type');
      if (file.data.length > MAX_ASSET_BYTES) problems.push(`filedata has ${file.data.length} bytes (at most 25 MB)`);
    }
    if (problems.length > 0) return this.refuse(res, record, problems);
    const scripted = this.uploadScripts.shift();
    if (scripted) return this.answer(res, record, scripted);
    const id = longId(16);
    this.attachments.set(id, { filename: file?.filename, contentType: file?.contentType, bytes: file?.data ?? Buffer.alloc(0) });
    record.attachmentId = id;
    return this.answer(res, record, { status: 200, body: { attachment_id: id } });
  }

  private createTemplate(res: ServerResponse, record: RecordedRequest, contentType: string, raw: Buffer): void {
    record.kind = 'template-create';
    const body = parseJson(raw);
    record.body = body;
    const problems: string[] = [];
    if (!contentType.toLowerCase().startsWith('application/json')) problems.push(`Content-Type ${contentType}`);
    if (!isObject(body)) return this.refuse(res, record, ['the body is not a JSON object']);
    if (typeof body.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(body.name)) problems.push('name must be lower-case letters, digits and underscores');
    if (typeof body.language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(body.language)) problems.push(`language ${JSON.stringify(body.language)} is not a template language code`);
    if (body.category !== 'UTILITY') problems.push('category must be UTILITY');
    const component = Array.isArray(body.components) && body.components.length === 1 ? body.components[0] : undefined;
    if (!isObject(component) || component.type !== 'BODY' || typeof component.text !== 'string') return this.refuse(res, record, [...problems, 'components must be one BODY with text']);
    const numbers = placeholders(component.text);
    numbers.forEach((n, i) => {
      if (n !== i + 1) problems.push(`INCORRECT_PARAMS: {{${n}}} out of sequence`);
    });
    if (/^\s*\{\{\d+\}\}/.test(component.text) || /\{\{\d+\}\}[\s.!。！]*$/.test(component.text)) problems.push('INCORRECT_PARAMS: the template starts or ends with a parameter');
    const examples = isObject(component.example) && Array.isArray(component.example.body_text) ? (component.example.body_text[0] as unknown) : undefined;
    if (numbers.length > 0 && (!Array.isArray(examples) || examples.length !== numbers.length)) problems.push('example.body_text must give one example value per placeholder');
    if (problems.length > 0) return this.refuse(res, record, problems);
    const key = `${body.name as string} ${body.language as string}`;
    if (this.templates.has(key)) return this.answer(res, record, graphError(100, `Message template "${body.name as string}" already exists in ${body.language as string}`));
    this.templates.set(key, { name: body.name as string, language: body.language as string, body: component.text, placeholders: numbers.length });
    return this.answer(res, record, { status: 200, body: { id: longId(15), status: 'APPROVED', category: 'UTILITY' } });
  }

  private refuse(res: ServerResponse, record: RecordedRequest, problems: string[]): void {
    this.violate(record, problems);
    return this.answer(res, record, graphError(100, `Invalid parameter: ${problems.join('; ')}`));
  }

  private violate(record: RecordedRequest, problems: string[]): void {
    this.violations.push({ method: record.method, path: record.path, problems, body: record.body });
  }

  private answer(res: ServerResponse, record: RecordedRequest, response: ScriptedResponse): void {
    if ('hang' in response) return;
    if ('drop' in response) {
      res.socket?.destroy();
      return;
    }
    record.status = response.status;
    res.writeHead(response.status, { 'Content-Type': 'application/json; charset=UTF-8', ...response.headers });
    res.end(response.body === undefined ? '' : JSON.stringify(response.body));
  }
}

function placeholders(body: string): number[] {
  return [...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}

/** A decimal id of `digits` digits, not starting with 0 (PSIDs, attachment and template ids). */
function longId(digits: number): string {
  let id = String(randomInt(1, 10));
  while (id.length < digits) id += String(randomInt(0, 1e6)).padStart(6, '0');
  return id.slice(0, digits);
}

/** A Messenger message id, in the form Meta answers with. */
function mid(): string {
  return `m_${randomBytes(48).toString('base64url')}`;
}
