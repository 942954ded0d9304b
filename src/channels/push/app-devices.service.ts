import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { maskId, maskPushToken } from './app-device';
import { AppDevicesRepository } from './app-devices.repository';
import type { AppDeviceBody, AppDeviceDto } from './app-devices.dto';

/**
 * An APNs device token is hexadecimal (32 bytes today; Apple says not to hard-code its length); an FCM
 * registration token is base64url-like text with ':' and '-' (about 160 characters today).
 */
const TOKEN_PATTERNS = {
  ios: { pattern: /^(?:[0-9a-fA-F]{2}){16,512}$/, expected: 'an APNs device token: hexadecimal, an even number of digits' },
  android: { pattern: /^[A-Za-z0-9_:.\-]{32,4096}$/, expected: 'an FCM registration token: letters, digits and _ : . -' },
} as const;

/** Registers and removes the airline app's devices for the app backend (role app). */
@Injectable()
export class AppDevicesService {
  private readonly logger = new Logger(AppDevicesService.name);

  constructor(private readonly devices: AppDevicesRepository) {}

  async register(installationId: string, body: AppDeviceBody): Promise<AppDeviceDto> {
    const rule = TOKEN_PATTERNS[body.platform];
    if (!rule.pattern.test(body.pushToken)) throw new BadRequestException(`pushToken must be ${rule.expected} for platform ${body.platform}`);
    const { device, created } = await this.devices.upsert({
      installationId,
      accountId: body.account,
      platform: body.platform,
      pushToken: body.platform === 'ios' ? body.pushToken.toLowerCase() : body.pushToken,
      locale: body.locale,
    });
    this.logger.log(`${created ? 'registered' : 'updated'} ${device.platform} device ${maskId(installationId)} of account ${maskId(device.accountId)} (token ${maskPushToken(device.pushToken)})`);
    return {
      installationId: device.installationId,
      account: device.accountId,
      platform: device.platform,
      locale: device.locale,
      created,
      registeredAt: device.createdAt.toISOString(),
      updatedAt: device.updatedAt.toISOString(),
    };
  }

  /** True when it was registered; removing an unknown installation changes nothing. */
  async remove(installationId: string): Promise<boolean> {
    const removed = await this.devices.remove(installationId);
    if (removed) this.logger.log(`removed device ${maskId(installationId)} at the app backend's request`);
    return removed;
  }
}
