import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectConfig, PUSH_CONFIG, PushConfig } from '../../config/config-slices';
import { TemplateRenderer } from '../../rendering/template-renderer.service';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';
import { ChannelProvider } from '../channel-provider.decorator';
import { maskId, maskPushToken, type AppDevice } from './app-device';
import { AppDevicesRepository } from './app-devices.repository';
import { aggregate, deviceResult, type DeviceOutcome, type DeviceResult } from './device-outcome';
import { ApnsClient } from './apns/apns.client';
import { signProviderToken } from './apns/apns-provider-token';
import { fcmMessage, FcmClient } from './fcm/fcm.client';
import { CredentialError } from './credential-error';
import { grantAccessToken, type ServiceAccount } from './fcm/fcm-auth';
import { pushNotice, type PushNotice } from './push-notice';
import { SharedTokens, type MintToken } from './shared-tokens.service';

/** A notice and the catalog language its words are in. */
type LocalNotice = PushNotice & { locale: string };

/** What the adapter needs of the devices table (AppDevicesRepository). */
export type DeviceStore = Pick<AppDevicesRepository, 'forAccount' | 'removeDeadToken'>;

/**
 * The passenger's app: one notification goes to every device registered for the app account (the
 * notification's recipient), Android through FCM HTTP v1 and iOS through APNs, each in the device's own
 * language. It is sent when at least one device took it; every device's answer is in the timeline
 * (docs/decisions/0028). Dead tokens are deleted as the push services report them.
 */
@ChannelProvider({ channel: 'push', enabled: (config) => config.CHANNEL_PUSH === 'fcm-apns' })
@Injectable()
export class PushAdapter implements ChannelAdapter, OnModuleDestroy {
  readonly name = 'fcm-apns';
  /**
   * Every message carries a collapse id (the flight for flight news, else its own id): a copy sent again
   * replaces the first on the phone, so a send whose answer was lost is simply sent again.
   */
  readonly inDoubt: InDoubtSettlement = 'resend';
  private readonly logger = new Logger(PushAdapter.name);
  private readonly fcm?: { client: FcmClient; account: ServiceAccount; tokenName: string };
  private readonly apns?: { client: ApnsClient; key: string; keyId: string; teamId: string; tokenName: string };

  constructor(
    @InjectConfig(PUSH_CONFIG) private readonly config: PushConfig,
    @Inject(AppDevicesRepository) private readonly devices: DeviceStore,
    private readonly tokens: SharedTokens,
    private readonly renderer: TemplateRenderer,
  ) {
    if (config.FCM_PROJECT_ID && config.FCM_SERVICE_ACCOUNT) {
      const account = config.FCM_SERVICE_ACCOUNT as ServiceAccount;
      this.fcm = {
        client: new FcmClient({ baseUrl: config.FCM_BASE_URL, projectId: config.FCM_PROJECT_ID, timeoutMs: config.PROVIDER_TIMEOUT_MS }),
        account,
        tokenName: `fcm:${account.client_email}`,
      };
    }
    if (config.APNS_KEY_ID && config.APNS_TEAM_ID && config.APNS_PRIVATE_KEY && config.APNS_TOPIC) {
      this.apns = {
        client: new ApnsClient({ baseUrl: config.APNS_BASE_URL, topic: config.APNS_TOPIC, timeoutMs: config.PROVIDER_TIMEOUT_MS, ca: config.APNS_CA_CERT }),
        key: config.APNS_PRIVATE_KEY,
        keyId: config.APNS_KEY_ID,
        teamId: config.APNS_TEAM_ID,
        tokenName: `apns:${config.APNS_TEAM_ID}:${config.APNS_KEY_ID}`,
      };
    }
  }

  onModuleDestroy(): void {
    this.apns?.client.close();
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const devices = await this.devices.forAccount(message.recipient);
    const notices = new Map<string, LocalNotice>();
    const results: DeviceResult[] = [];
    const waits: (number | undefined)[] = [];
    let mayHaveSent = false;
    // One device after another: an account has a handful, and a refreshed token then serves the rest.
    for (const device of devices) {
      const notice = this.noticeFor(message, device.locale, notices);
      const outcome = await this.sendTo(device, notice, message.correlationId);
      if (outcome.kind === 'removed') await this.forget(device, outcome.code);
      if (outcome.kind === 'retry') {
        waits.push(outcome.retryAfterMs);
        mayHaveSent ||= outcome.mayHaveSent === true;
      }
      results.push(deviceResult(device.installationId, device.platform, notice.locale, outcome));
    }
    const result = aggregate(results, waits, mayHaveSent);
    if (result.outcome !== 'accepted') this.logger.warn(`push ${message.type} ${message.notificationId} to account ${maskId(message.recipient)}: ${result.outcome} ${'message' in result ? result.message : ''}`);
    return result;
  }

  /** Title and body in the device's language (rendered once per language and message). */
  private noticeFor(message: OutboundMessage, locale: string, made: Map<string, LocalNotice>): LocalNotice {
    let notice = made.get(locale);
    if (!notice) {
      // The sender rendered it in the passenger's language already; another device language is rendered here.
      const content =
        locale === message.locale && message.content.subject !== undefined
          ? { locale: message.content.locale, subject: message.content.subject, text: message.content.text }
          : this.renderer.render(message.type, 'push', locale, { ...message.context, locale });
      notice = { ...pushNotice({ notificationId: message.notificationId, type: message.type, context: message.context, title: content.subject, body: content.text }), locale: content.locale };
      made.set(locale, notice);
    }
    return notice;
  }

  private async sendTo(device: AppDevice, notice: PushNotice, correlationId: string): Promise<DeviceOutcome> {
    if (device.platform === 'android') {
      const fcm = this.fcm;
      if (!fcm) return { kind: 'failed', code: 'platform-not-configured', message: 'FCM is not configured (FCM_PROJECT_ID, FCM_SERVICE_ACCOUNT)' };
      const body = fcmMessage(device.pushToken, notice);
      const mint: MintToken = () => grantAccessToken(fcm.account, this.config.FCM_TOKEN_URL, this.config.PROVIDER_TIMEOUT_MS);
      return this.withCredential(fcm.tokenName, mint, (token) => fcm.client.send(body, token, correlationId));
    }
    const apns = this.apns;
    if (!apns) return { kind: 'failed', code: 'platform-not-configured', message: 'APNs is not configured (APNS_KEY_ID, APNS_TEAM_ID, APNS_PRIVATE_KEY, APNS_TOPIC)' };
    const mint: MintToken = () => signProviderToken(apns.key, apns.keyId, apns.teamId);
    return this.withCredential(apns.tokenName, mint, (token) => apns.client.send(device.pushToken, notice, token));
  }

  /**
   * Sends with the shared credential; one the provider refuses as expired or invalid is replaced (or the one
   * another replica made already is taken) and the send tried once more; refused again, it pauses the channel.
   */
  private async withCredential(name: string, mint: MintToken, send: (token: string) => Promise<DeviceOutcome>): Promise<DeviceOutcome> {
    let token: string;
    try {
      token = await this.tokens.get(name, mint);
    } catch (error) {
      return credentialFailure(error);
    }
    const first = await send(token);
    if (first.kind !== 'expired-credential') return first;
    this.logger.warn(`${name.split(':')[0]} refused our credential (${first.code}); making a new one`);
    try {
      token = await this.tokens.get(name, mint, token);
    } catch (error) {
      return credentialFailure(error);
    }
    const second = await send(token);
    return second.kind === 'expired-credential' ? { kind: 'pause', code: second.code, message: `${second.message}, again with a new credential` } : second;
  }

  private async forget(device: AppDevice, code: string): Promise<void> {
    const removed = await this.devices.removeDeadToken(device.installationId, device.pushToken);
    if (removed) this.logger.log(`removed ${device.platform} device ${maskId(device.installationId)} (token ${maskPushToken(device.pushToken)}): ${code}`);
  }
}

function credentialFailure(error: unknown): DeviceOutcome {
  if (error instanceof CredentialError) {
    return error.refused ? { kind: 'pause', code: 'credential-refused', message: error.message } : { kind: 'retry', code: 'credential-unavailable', message: error.message };
  }
  // The shared token row could not be read or written (PostgreSQL away): try again later.
  return { kind: 'retry', code: 'credential-store', message: (error as Error).message.slice(0, 300) };
}
