/** The platforms a device registers for; each is reached through its own push service. */
export const APP_PLATFORMS = ['ios', 'android'] as const;
export type AppPlatform = (typeof APP_PLATFORMS)[number];

/** One installation of the airline's app on one phone, registered by the app's backend. */
export interface AppDevice {
  installationId: string;
  accountId: string;
  platform: AppPlatform;
  /** APNs device token (ios, hex) or FCM registration token (android): a secret, never logged whole. */
  pushToken: string;
  /** BCP 47: the language the phone shows the app in, which push messages are written in. */
  locale: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A push token for a log line: enough to tell two apart, never enough to send with. */
export function maskPushToken(token: string): string {
  return token.length <= 8 ? '*'.repeat(token.length) : `${token.slice(0, 4)}…${token.slice(-2)} (${token.length})`;
}

/** An installation id or account id for a log line or a timeline. */
export function maskId(id: string): string {
  return id.length <= 6 ? '*'.repeat(id.length) : `${id.slice(0, 4)}…`;
}
