import type { SendResult } from '../channel-adapter';
import { maskId } from './app-device';
import type { AppPlatform } from './app-device';

/**
 * How one device's push service answered:
 * - accepted: it took the message (its message id);
 * - removed: the token is dead (unregistered, bad token): the device is deleted;
 * - failed: this message will never reach this device as sent (payload refused …); the device stays;
 * - retry: worth another try later (quota, service unavailable, timeout);
 * - pause: our credentials or project were refused: nothing on the channel can go out until a person acts;
 * - expired-credential: the access or provider token was refused as expired: refreshed once, then `pause`.
 */
export type DeviceOutcome =
  | { kind: 'accepted'; id: string }
  | { kind: 'removed'; code: string; message: string }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number; mayHaveSent?: boolean }
  | { kind: 'pause'; code: string; message: string }
  | { kind: 'expired-credential'; code: string; message: string };

/** One device's result as the timeline shows it: which device (masked), which platform and language, what happened. */
export interface DeviceResult {
  device: string;
  platform: AppPlatform;
  locale: string;
  outcome: Exclude<DeviceOutcome['kind'], 'expired-credential'>;
  code?: string;
  message?: string;
  providerMessageId?: string;
}

export function deviceResult(installationId: string, platform: AppPlatform, locale: string, outcome: DeviceOutcome): DeviceResult {
  const base = { device: maskId(installationId), platform, locale };
  if (outcome.kind === 'accepted') return { ...base, outcome: 'accepted', providerMessageId: outcome.id };
  // Refreshing did not help: the credential is refused, which is a pause.
  const kind = outcome.kind === 'expired-credential' ? 'pause' : outcome.kind;
  return { ...base, outcome: kind, code: outcome.code, message: outcome.message };
}

/**
 * One notification's result from its devices' (docs/decisions/0028): sent when at least one device took it
 * (a credential problem on the other platform still pauses the channel, with its alarm); otherwise paused when
 * a credential was refused, retried when any device may take it later (after the longest Retry-After), and
 * failed for good when every device is gone or refused it (critical news then falls back to the next channel).
 */
export function aggregate(results: DeviceResult[], retryAfterMs: (number | undefined)[] = [], mayHaveSent = false): SendResult {
  const detail = { devices: results };
  const accepted = results.filter((r) => r.outcome === 'accepted');
  const pause = results.find((r) => r.outcome === 'pause');
  if (accepted.length > 0) {
    return {
      outcome: 'accepted',
      providerMessageId: accepted[0].providerMessageId ?? '',
      detail: { ...detail, accepted: accepted.length },
      ...(pause ? { pause: { code: pause.code ?? 'push-credentials', message: pause.message ?? '' } } : {}),
    };
  }
  if (pause) return { outcome: 'paused', code: pause.code ?? 'push-credentials', message: `${pause.platform}: ${pause.message ?? ''}`, detail };
  const retry = results.filter((r) => r.outcome === 'retry');
  if (retry.length > 0) {
    const waits = retryAfterMs.filter((ms): ms is number => ms !== undefined);
    return {
      outcome: 'retryable',
      code: retry[0].code ?? 'push-retry',
      message: summary(results),
      detail,
      ...(waits.length > 0 ? { retryAfterMs: Math.max(...waits) } : {}),
      ...(mayHaveSent ? { mayHaveSent: true } : {}),
    };
  }
  if (results.length === 0) return { outcome: 'permanent', code: 'no-devices', message: 'the app account has no registered devices', detail };
  const code = results.every((r) => r.outcome === 'removed') ? 'devices-unregistered' : 'devices-refused';
  return { outcome: 'permanent', code, message: summary(results), detail };
}

function summary(results: DeviceResult[]): string {
  return results.map((r) => `${r.platform} ${r.device}: ${r.outcome}${r.code ? ` ${r.code}` : ''}${r.message ? ` (${r.message})` : ''}`).join('; ');
}
