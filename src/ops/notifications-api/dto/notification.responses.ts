import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../../vocabulary/notification-types';

/** Response shapes of the read API (GET /api/notifications, /api/notifications/:id), as JSON sends them. */
export class NotificationSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS }) channel!: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status!: string;
  @ApiProperty({ example: 'ABC123' }) bookingReference!: string;
  @ApiProperty() passengerId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Flight key, e.g. KL1234-2026-12-01; null for booking-wide news.' })
  flight!: string | null;
  @ApiProperty({ example: 'nl-NL' }) locale!: string;
  @ApiProperty({ example: '+31*****678', description: 'The recipient masked (a partner webhook by its name); the detail has it whole.' })
  maskedRecipient!: string;
  @ApiProperty({ type: String, nullable: true, description: "The provider's code of the last error (failed, or retrying); null if none.", example: '131026' })
  lastErrorCode!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationSummaryDto], description: 'Newest first.' })
  items!: NotificationSummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one.' })
  nextCursor!: string | null;
}

export class LastErrorDto {
  @ApiProperty({ description: "The provider's error code." }) code!: string;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
}

export class WhatsAppTemplateDto {
  @ApiProperty({ description: 'The approved template it was sent as (type, facts told, hash of its words).', example: 'flight_delay__delayed_gate__3f9a1c' })
  name!: string;
  @ApiProperty({ description: "WhatsApp's language code.", example: 'en_GB' }) language!: string;
  @ApiProperty({ description: 'The approved body, {{1}} … {{n}} where the parameters go.', example: 'Dear {{1}},\n\nNew gate: *{{2}}* (was {{3}}) …' })
  body!: string;
  @ApiProperty({ type: [String], description: 'The body parameters sent, in order: with the body they make `text`.', example: ['Luc', 'F9', 'E4'] })
  parameters!: string[];
  @ApiPropertyOptional({ enum: ['document'], description: 'The boarding pass travelled as the template’s document header.' }) header?: 'document';
}

export class RenderedContentDto {
  @ApiProperty({ description: "The catalog's locale (may be a fallback of the passenger's)." }) locale!: string;
  @ApiProperty({ description: 'The text as the passenger read it (for a WhatsApp template: its body with the parameters filled in).' }) text!: string;
  @ApiPropertyOptional({ description: 'E-mail only.' }) subject?: string;
  @ApiPropertyOptional({ description: 'E-mail only.' }) html?: string;
  @ApiPropertyOptional({
    type: WhatsAppTemplateDto,
    description: 'WhatsApp, when the message went as an approved template (outside the 24-hour window, or with the boarding pass): exactly what Meta was sent.',
  })
  whatsappTemplate?: WhatsAppTemplateDto;
}

export class AttachmentLinkDto {
  @ApiProperty({ example: 'boarding-pass.pdf' }) name!: string;
  @ApiProperty({ example: 'application/pdf' }) contentType!: string;
  @ApiProperty({ description: 'GET it with the same bearer token.' }) url!: string;
}

export class WalletLinksDto {
  @ApiPropertyOptional({
    description: 'A "Save to Google Wallet" link (https://pay.google.com/gp/v/save/<RS256 JWT>) holding the FlightClass and FlightObject of this leg; made when read, and the pass it saves is kept current by the service.',
  })
  googleSaveUrl?: string;
  @ApiPropertyOptional({
    description: 'E-mail only: the "Add to Apple Wallet" link, PUBLIC_BASE_URL/wallet/apple/passes/<serial>/<download token>/boarding-pass.pkpass, which serves the pass without an ops token (docs/decisions/0034).',
  })
  applePassUrl?: string;
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'attempt' }) kind!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) detail!: Record<string, unknown> | null;
}

export class NotificationDetailDto extends NotificationSummaryDto {
  @ApiProperty({ description: 'Phone number, e-mail address or partner name the message went to.' }) recipient!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) providerMessageId!: string | null;
  @ApiProperty({ type: LastErrorDto, nullable: true }) lastError!: LastErrorDto | null;
  @ApiProperty({ type: RenderedContentDto, nullable: true, description: 'Null until rendered.' }) content!: RenderedContentDto | null;
  @ApiProperty({ type: [AttachmentLinkDto] }) attachments!: AttachmentLinkDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "A boarding pass's IATA BCBP (Resolution 792) decoded from its bar code: passenger, legs, security section.",
  })
  boardingPass!: Record<string, unknown> | null;
  @ApiProperty({ type: WalletLinksDto, nullable: true, description: "A boarding pass's wallet links, when a wallet is configured; null otherwise." })
  wallet!: WalletLinksDto | null;
  @ApiProperty({ type: [TimelineEntryDto], description: 'Oldest first.' }) timeline!: TimelineEntryDto[];
}
