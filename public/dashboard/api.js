// @ts-check
// The page's one way to the service: /api with the bearer token the operator typed in (kept in sessionStorage
// for this tab), and the public OpenAPI document for the enums the filters offer.

const TOKEN_KEY = 'notifier.token';

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  /** @param {string} value */
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Called when the service refuses the token (401): the page signs out. */
let onUnauthorized = () => {};
/** @param {() => void} handler */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/**
 * Calls the API with the token; a 401 signs out, other errors become ApiError with the server's message.
 * Callers state what they expect back (a JSDoc cast to a type from types.js).
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<unknown>}
 */
export async function api(path, options = {}) {
  return (await apiResponse(path, options)).json();
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<Response>}
 */
export async function apiResponse(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${token.get() ?? ''}`, Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (res.status === 401) {
    onUnauthorized();
    throw new ApiError(401, 'unauthorized');
  }
  if (!res.ok) {
    let message = res.statusText;
    try {
      const body = /** @type {{ message?: string | string[] }} */ (await res.json());
      message = Array.isArray(body.message) ? body.message.join('; ') : body.message || message;
    } catch { /* not JSON */ }
    if (res.status === 403) message = `${message} (this token is a viewer token)`;
    throw new ApiError(res.status, message);
  }
  return res;
}

/**
 * @typedef {object} Enums
 * @property {import('./types.js').NotificationStatus[]} statuses
 * @property {import('./types.js').NotificationType[]} types
 * @property {import('./types.js').DeliveryChannel[]} channels
 * @property {string[]} reasonCodes dead letters' reason codes
 */

/**
 * The values the filters offer, read from the service's own OpenAPI document (public, no token): the page
 * never carries a copy that could fall behind the server.
 * @returns {Promise<Enums>}
 */
export async function loadEnums() {
  const res = await fetch('/api/docs-json', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`the API document could not be read (${res.status})`);
  const doc = /** @type {{ components?: { schemas?: Record<string, { properties?: Record<string, { enum?: string[] }> }> } }} */ (await res.json());
  /**
   * @param {string} schema
   * @param {string} property
   */
  const values = (schema, property) => {
    const found = doc.components?.schemas?.[schema]?.properties?.[property]?.enum;
    if (!found?.length) throw new Error(`the API document lists no ${schema}.${property} values`);
    return found;
  };
  return {
    statuses: /** @type {Enums['statuses']} */ (values('NotificationSummaryDto', 'status')),
    types: /** @type {Enums['types']} */ (values('NotificationSummaryDto', 'type')),
    channels: /** @type {Enums['channels']} */ (values('NotificationSummaryDto', 'channel')),
    reasonCodes: values('RedriveManyBody', 'reasonCode'),
  };
}
