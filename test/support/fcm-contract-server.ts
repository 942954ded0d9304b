import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GoogleServiceAccountServer, replyJson as reply } from './google-service-account-server';
import { readBody } from './local-http-server';

/**
 * A local stand-in for FCM HTTP v1 and Google's OAuth2 token endpoint, holding the service to their documented
 * contracts: the token endpoint takes only the service-account JWT grant (grant_type jwt-bearer, an RS256
 * assertion it verifies with the service account's public key: iss, aud = itself, the firebase.messaging scope,
 * at most an hour of life); messages:send takes only an access token it issued and a v1 message of the shape
 * the reference gives (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages). Anything off
 * the contract is refused AND recorded in `violations`, which tests assert stays empty. Errors are scripted per
 * registration token in the v1 error format (google.rpc.Status with an FcmError detail).
 */

export type FcmScript = { status: number; errorCode?: string; rpcStatus?: string; headers?: Record<string, string> };

export interface FcmSent {
  token: string;
  message: Record<string, unknown> & {
    notification: { title: string; body: string };
    data: Record<string, string>;
    android: { collapse_key: string; priority: string; ttl: string; notification: { tag: string } };
  };
  accessToken: string;
  status: number;
  at: number;
}

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const FCM_ERROR = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const RPC_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export class FcmContractServer extends GoogleServiceAccountServer {
  private readonly scripts = new Map<string, FcmScript[]>();
  readonly sent: FcmSent[] = [];

  constructor() {
    super('notifier@airline-app-test.iam.gserviceaccount.com', 'airline-app-test', FCM_SCOPE);
  }

  /** The answers to the next sends to `token`, in order; then success again. */
  script(token: string, ...answers: FcmScript[]): void {
    this.scripts.set(token, [...(this.scripts.get(token) ?? []), ...answers]);
  }

  /** Every access token issued so far stops working (Google expired or revoked them): sends get 401 UNAUTHENTICATED. */
  revokeAccessTokens(): void {
    this.issued.clear();
  }

  sentTo(token: string): FcmSent[] {
    return this.sent.filter((s) => s.token === token);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req)).toString('utf8');
    const path = req.url ?? '';
    if (req.method === 'POST' && path === '/token') return this.token(req, body, res);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (req.method === 'POST' && match) return this.send(req, match[1], body, res);
    this.violation(path, [`no such operation: ${req.method} ${path}`]);
    reply(res, 404, { error: { code: 404, status: 'NOT_FOUND', message: 'not found' } });
  }

  private send(req: IncomingMessage, project: string, body: string, res: ServerResponse): void {
    const accessToken = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!this.honoured(req)) {
      return reply(res, 401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.' } });
    }
    const problems = project === this.projectId ? [] : [`project ${project} is not ${this.projectId}`];
    let parsed: { message?: FcmSent['message'] & { token?: unknown } } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      problems.push('body is not JSON');
    }
    const message = parsed.message;
    problems.push(...checkMessage(message));
    if (problems.length > 0 || !message) {
      this.violation(req.url ?? '', problems);
      return reply(res, 400, rpcError(400, undefined, problems.join('; ')));
    }
    const token = String(message.token);
    const scripted = this.scripts.get(token)?.shift();
    const status = scripted?.status ?? 200;
    this.sent.push({ token, message, accessToken, status, at: Date.now() });
    if (!scripted) return reply(res, 200, { name: `projects/${project}/messages/0:${Date.now()}%${randomUUID().slice(0, 8)}` });
    reply(res, scripted.status, rpcError(scripted.status, scripted.errorCode, scripted.errorCode ?? 'scripted', scripted.rpcStatus), scripted.headers);
  }

}

/** The v1 Message fields the service uses, checked as the reference types them. */
function checkMessage(message: Record<string, unknown> | undefined): string[] {
  if (!message || typeof message !== 'object') return ['message is required'];
  const problems: string[] = [];
  if (typeof message.token !== 'string' || message.token === '') problems.push('message.token must be a registration token');
  const notification = message.notification as Record<string, unknown> | undefined;
  if (typeof notification?.title !== 'string' || typeof notification?.body !== 'string') problems.push('message.notification needs title and body strings');
  const data = (message.data ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') problems.push(`message.data.${key} must be a string`);
    if (/^(from|gcm|google)/.test(key)) problems.push(`message.data.${key} is a reserved key`);
  }
  const android = (message.android ?? {}) as Record<string, unknown>;
  if (android.priority !== undefined && !['NORMAL', 'HIGH'].includes(String(android.priority))) problems.push('message.android.priority must be NORMAL or HIGH');
  if (android.ttl !== undefined && !/^\d+(\.\d{1,9})?s$/.test(String(android.ttl))) problems.push('message.android.ttl must be a duration such as "3.5s"');
  if (android.ttl !== undefined && Number.parseFloat(String(android.ttl)) > 2_419_200) problems.push('message.android.ttl must be at most four weeks');
  const size = Buffer.byteLength(JSON.stringify({ notification, data }), 'utf8');
  if (size > 4096) problems.push(`the message is ${size} bytes; FCM takes at most 4096`);
  return problems;
}

function rpcError(status: number, errorCode: string | undefined, message: string, rpcStatus?: string): unknown {
  return {
    error: {
      code: status,
      message,
      status: rpcStatus ?? RPC_STATUS[status] ?? 'UNKNOWN',
      details: errorCode ? [{ '@type': FCM_ERROR, errorCode }] : [],
    },
  };
}

