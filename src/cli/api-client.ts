/** A failed call: the HTTP status and what the service said, or status 0 when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly url: string,
    /** The error's JSON body, when it had one (e.g. `matched` of a bulk action refused for want of `confirm`). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

/** The ops API over HTTP with a bearer token; answers are parsed JSON, errors are ApiError. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.call<T>('GET', path, query);
  }

  post<T>(path: string, body: object): Promise<T> {
    return this.call<T>('POST', path, {}, body);
  }

  async getBytes(path: string): Promise<Buffer> {
    const res = await this.send('GET', path, {});
    return Buffer.from(await res.arrayBuffer());
  }

  private async call<T>(method: string, path: string, query: Query, body?: object): Promise<T> {
    const res = await this.send(method, path, query, body);
    return (await res.json()) as T;
  }

  private async send(method: string, path: string, query: Query, body?: object): Promise<Response> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ApiError(0, `cannot reach the service at ${this.baseUrl} (${why})`, url.toString());
    }
    if (!res.ok) {
      const { message, body } = await errorOf(res);
      throw new ApiError(res.status, message, url.toString(), body);
    }
    return res;
  }
}

/** Nest answers errors as { statusCode, message: string | string[], error }. */
async function errorOf(res: Response): Promise<{ message: string; body?: Record<string, unknown> }> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (Array.isArray(body.message)) return { message: body.message.map(String).join('; '), body };
    if (typeof body.message === 'string') return { message: body.message, body };
    if (body.message && typeof body.message === 'object') return { message: JSON.stringify(body.message), body };
  } catch {
    /* not JSON */
  }
  return { message: text.slice(0, 500) || res.statusText };
}

/** A message an operator can act on, for each kind of failure. */
export function explain(error: ApiError): string {
  switch (error.status) {
    case 0:
      return `${error.message}. Is it running? Point to it with --url or NOTIFIER_URL.`;
    case 401:
      return `the service refused the token (401 Unauthorized): ${error.message}. Pass an ops token with --token or NOTIFIER_TOKEN.`;
    case 403:
      return `forbidden (403): ${error.message}. The token given is a viewer token; this needs an operator token.`;
    case 404:
      return `not found (404): ${error.message}`;
    case 409:
      return `conflict (409): ${error.message}`;
    case 400:
      if (error.body.field === 'confirm' && typeof error.body.matched === 'number') {
        return `the service asks for confirmation (400): ${error.message}. Check the filters; to go ahead, repeat with --confirm ${error.body.matched}.`;
      }
      return `the service rejected the request (400): ${error.message}`;
    default:
      return `the service answered ${error.status}: ${error.message}`;
  }
}
