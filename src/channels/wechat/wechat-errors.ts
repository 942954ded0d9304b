import { maskPersonalData } from '../../common/mask';
import type { SendResult } from '../channel-adapter';
import type { WeChatFailure } from './wechat-api.client';

/**
 * WeChat's global return codes (errcode) the channel meets, and what each means for a notification. WeChat
 * answers every API error with HTTP 200 and `{"errcode": n, "errmsg": "…"}`; see the global return codes of the
 * Official Account documentation and the error codes of sendTemplateMessage.
 */

/** The access token was refused: refresh it (once, for every replica) and send again at once. */
export const TOKEN_REFUSED: ReadonlySet<number> = new Set([
  40001, // invalid credential: access_token invalid or not the latest
  40014, // invalid access_token
  42001, // access_token expired
]);

/** The passenger no longer receives the account's messages: their WeChat consent is withdrawn. */
export const CONSENT_GONE: ReadonlySet<number> = new Set([
  43004, // require subscribe: the user does not follow the Official Account
  43101, // user refuse to accept the msg
]);

/** Our account or its credentials were refused: the channel pauses until an operator acts. */
const PAUSE_CODES = new Set([
  40002, // invalid grant_type
  40013, // invalid appid
  40125, // invalid appsecret
  40164, // caller IP not in the account's IP whitelist
  41002, // appid missing
  41004, // appsecret missing
  48001, // api unauthorized: the account may not use template messages
  50001, // user unauthorized (the API is not granted to this account)
  50002, // user limited: the account is restricted
]);

/** Worth another try later. */
const RETRYABLE_CODES = new Set([
  -1, // system busy: try again later
  45009, // reach max api daily quota limit (given up after QUOTA_ATTEMPTS: the quota is a day's)
  45011, // api minute-quota reach limit
]);

/**
 * A day's quota does not come back within a notification's useful life: after this many attempts a message
 * fails, and a critical one goes on to the passenger's next channel.
 */
export const QUOTA_ATTEMPTS = 3;

/** WeChat's OpenIDs (28 characters of [A-Za-z0-9_-]) inside provider text: masked like any contact. */
const OPENID_IN_TEXT = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g;

export function maskWeChatText(text: string): string {
  return maskPersonalData(text).replace(OPENID_IN_TEXT, (id) => `${id.slice(0, 3)}${'*'.repeat(22)}${id.slice(-3)}`);
}

/**
 * Judges a failed WeChat request. Pure: the same failure always gets the same answer; the errcode stays as
 * the result's code so the timeline shows WeChat's own number.
 */
export function classifyWeChatFailure(failure: WeChatFailure): SendResult {
  switch (failure.kind) {
    case 'timeout':
      return { outcome: 'retryable', code: 'timeout', message: `WeChat did not answer within ${failure.timeoutMs} ms` };
    case 'network':
      return { outcome: 'retryable', code: 'network', message: maskWeChatText(`cannot reach WeChat: ${failure.message}`) };
    case 'http':
      // Nothing behind a non-200 answered with an errcode: a proxy or gateway in the way.
      return failure.status >= 500 || failure.status === 429
        ? { outcome: 'retryable', code: `http-${failure.status}`, message: maskWeChatText(`WeChat answered HTTP ${failure.status}: ${failure.bodyText.slice(0, 200)}`) }
        : { outcome: 'permanent', code: `http-${failure.status}`, message: maskWeChatText(`WeChat answered HTTP ${failure.status}: ${failure.bodyText.slice(0, 200)}`) };
    case 'bad-response':
      return { outcome: 'permanent', code: 'bad-response', message: maskWeChatText(`WeChat answered without a result: ${failure.bodyText.slice(0, 200)}`) };
    case 'api':
      return classifyErrcode(failure.errcode, failure.errmsg);
  }
}

function classifyErrcode(errcode: number, errmsg: string): SendResult {
  const code = String(errcode);
  const message = maskWeChatText(`WeChat ${errcode}: ${errmsg || 'no errmsg'}`);
  if (PAUSE_CODES.has(errcode)) return { outcome: 'paused', code, message };
  if (TOKEN_REFUSED.has(errcode)) {
    // Only seen here when a fresh token was refused too: a misconfigured account, not a stale token.
    return { outcome: 'paused', code, message };
  }
  if (RETRYABLE_CODES.has(errcode)) return { outcome: 'retryable', code, message, ...(errcode === 45009 ? { giveUpAfterAttempts: QUOTA_ATTEMPTS } : {}) };
  // Everything else is about this message: the recipient (40003 invalid openid, 43004 not following,
  // 43019 blocked by the account), the template (40037 invalid template_id, 47003 keyword data not as the
  // template's fields require) or the request: sending it again will not change WeChat's answer.
  return { outcome: 'permanent', code, message };
}
