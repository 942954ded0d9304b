import type { Channel } from './notification-types';

/** Why a contact cannot be used: a small fixed set, so it can label a metric. */
export const UNUSABLE_REASONS = [
  'not-a-number',
  'invalid-country',
  'too-short',
  'too-long',
  'invalid-length',
  'invalid-number',
  'malformed-email',
  'malformed-psid',
  'malformed-openid',
  'malformed-account',
] as const;
export type UnusableReason = (typeof UNUSABLE_REASONS)[number];

/** A contact kept out of sending, with its reason. Never holds the value itself (personal data). */
export interface UnusableContact {
  channel: Channel;
  reason: UnusableReason;
  detail: string;
}
