import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS } from '../vocabulary/notification-types';
import { UNUSABLE_REASONS } from '../vocabulary/unusable-contact';

export class UnusableContactDto {
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ enum: UNUSABLE_REASONS, description: 'Why it cannot be used (libphonenumber-js parse result, or a malformed e-mail address, Messenger PSID or WeChat OpenID).' }) reason!: string;
  @ApiProperty() detail!: string;
}

export class BookingConsentDto {
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty() granted!: boolean;
}

export class BookingPassengerDto {
  @ApiProperty() passengerId!: string;
  @ApiProperty() locale!: string;
  @ApiProperty({ description: 'Usable contacts by channel, masked.', type: 'object', additionalProperties: { type: 'string' } })
  contacts!: Record<string, string>;
  @ApiProperty({ type: [BookingConsentDto], description: "In the passenger's order of preference." }) consents!: BookingConsentDto[];
  @ApiProperty({ type: [UnusableContactDto], description: 'Contacts the booking gave that are never sent to; empty when all are usable.' })
  unusableContacts!: UnusableContactDto[];
}

/** GET /api/bookings/:reference: what the service holds for a booking, as operators need it. */
export class BookingViewDto {
  @ApiProperty() bookingReference!: string;
  @ApiProperty({ enum: ['active', 'cancelled'] }) status!: string;
  @ApiProperty({ description: 'Personal data erased (retention or on request): no passengers are listed.' }) purged!: boolean;
  @ApiProperty({ type: [BookingPassengerDto] }) passengers!: BookingPassengerDto[];
}
