import { isEmail } from 'class-validator';
import { ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { Channel } from '../vocabulary/notification-types';
import type { UnusableReason } from '../vocabulary/unusable-contact';

export type ContactCheck = { usable: true; value: string } | { usable: false; reason: UnusableReason; detail: string };

const PARSE_REASONS: Record<string, UnusableReason> = {
  NOT_A_NUMBER: 'not-a-number',
  INVALID_COUNTRY: 'invalid-country',
  TOO_SHORT: 'too-short',
  TOO_LONG: 'too-long',
  INVALID_LENGTH: 'invalid-length',
};

const PARSE_DETAILS: Record<UnusableReason, string> = {
  'not-a-number': 'no phone number could be read from it',
  'invalid-country': 'it names no country: an international number must start with + and the country code',
  'too-short': 'too short to be a phone number',
  'too-long': 'too long to be a phone number',
  'invalid-length': 'its length fits no number of its country',
  'invalid-number': 'it is not a number that exists in its country (libphonenumber metadata)',
  'malformed-email': 'it is not an e-mail address',
  'malformed-psid': 'a Messenger Page-scoped ID is digits only',
  'malformed-openid': 'a WeChat OpenID is 28 characters of letters, digits, "_" and "-"',
  'malformed-account': 'it is not an app account id (1 to 128 characters, no spaces or control characters)',
};

/** A Page-scoped ID: the decimal id Messenger gives a Page for one person (the Send API's recipient.id). */
const PSID = /^[0-9]{1,64}$/;
/** An Official Account OpenID: 28 characters of the URL-safe alphabet (as WeChat hands them out, e.g. oUpF8uMuAJO_M2pxb1Q9zNjWeS6o). */
const OPENID = /^[A-Za-z0-9_-]{28}$/;
/** The airline app's account id: opaque to us, but one token of printable characters (it is matched exactly). */
const ACCOUNT_ID = /^[^\s\u0000-\u001F\u007F-\u009F\uD800-\uDFFF]{1,128}$/;

/**
 * Decides whether one contact can be sent to. A phone number is parsed with libphonenumber-js (full
 * metadata) and must be a valid number for its country; it is kept in E.164, so "+31 6 1234 5678" and
 * "+31612345678" are the same recipient. An e-mail address must be one (validator.js's isEmail). A Messenger
 * PSID and a WeChat OpenID are ids, kept as given (surrounding white space aside). An app
 * account id (push) is the airline's own opaque id: it only has to be one printable token.
 */
export function checkContact(channel: Channel, value: string): ContactCheck {
  if (channel === 'push') {
    return ACCOUNT_ID.test(value) ? { usable: true, value } : unusable('malformed-account');
  }
  if (channel === 'email') {
    return isEmail(value) ? { usable: true, value } : unusable('malformed-email');
  }
  if (channel === 'messenger') {
    const id = value.trim();
    return PSID.test(id) ? { usable: true, value: id } : unusable('malformed-psid');
  }
  if (channel === 'wechat') {
    const id = value.trim();
    return OPENID.test(id) ? { usable: true, value: id } : unusable('malformed-openid');
  }
  try {
    const phone = parsePhoneNumberWithError(value);
    return phone.isValid() ? { usable: true, value: phone.number } : unusable('invalid-number');
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return unusable(PARSE_REASONS[error.message] ?? 'not-a-number');
  }
}

function unusable(reason: UnusableReason): ContactCheck {
  return { usable: false, reason, detail: PARSE_DETAILS[reason] };
}
