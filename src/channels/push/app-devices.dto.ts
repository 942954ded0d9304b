import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { APP_PLATFORMS, type AppPlatform } from './app-device';

/** The same rule as the event contract's `contacts.app`: one printable token. */
export const ACCOUNT_PATTERN = /^[^\s\u0000-\u001F\u007F-\u009F\uD800-\uDFFF]{1,128}$/;
/** BCP 47, as the event contract writes a passenger's locale. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** PUT /api/app-devices/:installationId — what the airline's app backend knows of one installation. */
export class AppDeviceBody {
  /** The airline's account id the app is signed in to: bookings name it as `contacts.app`. */
  @IsString()
  @MaxLength(128)
  @Matches(ACCOUNT_PATTERN, { message: 'account must be the app account id: 1 to 128 characters, no spaces or control characters' })
  account!: string;

  @IsIn(APP_PLATFORMS, { message: `platform must be one of ${APP_PLATFORMS.join(', ')}` })
  platform!: AppPlatform;

  /** APNs device token (ios, hexadecimal) or FCM registration token (android). */
  @IsString()
  @MinLength(32)
  @MaxLength(4096)
  pushToken!: string;

  @IsString()
  @MaxLength(35)
  @Matches(LOCALE_PATTERN, { message: 'locale must be a BCP 47 language tag such as nl-NL' })
  locale!: string;
}

/** A registered device as the API shows it: never its push token. */
export class AppDeviceDto {
  @ApiProperty() installationId!: string;
  @ApiProperty() account!: string;
  @ApiProperty({ enum: APP_PLATFORMS }) platform!: string;
  @ApiProperty() locale!: string;
  @ApiProperty({ description: 'Whether this call registered the installation (false: it updated it).' }) created!: boolean;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AppDeviceRemovalDto {
  @ApiProperty() installationId!: string;
  @ApiProperty({ description: 'Whether it was registered until now.' }) removed!: boolean;
}
