import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, NOTIFICATION_TYPES } from '../../vocabulary/notification-types';

/** Response shapes of GET /api/templates and the previews, as JSON sends them. */

export class TemplateLocaleDto {
  @ApiProperty({ example: 'ja', description: 'The catalog (catalogs/<code>/); a passenger locale falls back to it (pt-BR → pt).' })
  code!: string;

  @ApiProperty({ example: 'Japanese', description: "The language's English name." })
  name!: string;

  @ApiProperty({ enum: ['ltr', 'rtl'] })
  dir!: 'ltr' | 'rtl';

  @ApiProperty({ example: 'ja', description: "WhatsApp's language code for this catalog's templates." })
  whatsappLanguage!: string;
}

export class TemplateLineDto {
  @ApiProperty({ example: 'gate', description: 'The fact the line tells; a combination names its optional facts.' })
  fact!: string;

  @ApiProperty({ example: 'news.gate-moved', description: 'Catalog key (namespace messages).' })
  key!: string;

  @ApiProperty({ description: 'Told only when the notification carries the fact; false: always told.' })
  optional!: boolean;

  @ApiProperty({ type: [String], enum: CHANNELS, description: 'Channels that leave this line out.' })
  notOn!: string[];
}

export class WhatsAppTemplateNameDto {
  @ApiProperty({ example: 'ja' }) locale!: string;
  @ApiProperty({ example: 'flight_delay__delayed_gate__3f9a1c' }) name!: string;
  @ApiProperty({ example: 'ja' }) language!: string;
}

export class FactCombinationDto {
  @ApiProperty({ type: [String], example: ['delayed', 'gate'], description: 'The optional facts told, in line order; empty: none.' })
  facts!: string[];

  @ApiProperty({ type: [WhatsAppTemplateNameDto], description: 'The WhatsApp template this combination is sent with, per catalog.' })
  whatsapp!: WhatsAppTemplateNameDto[];
}

export class TemplateTypeDto {
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: string;

  @ApiProperty({ type: [TemplateLineDto], description: 'The body lines of its definition, in reading order.' })
  lines!: TemplateLineDto[];

  @ApiProperty({ type: [FactCombinationDto], description: 'Every combination of optional facts this type can tell.' })
  combinations!: FactCombinationDto[];

  @ApiProperty({ description: 'It carries the boarding pass (a PDF attachment; a document header on WhatsApp).' })
  document!: boolean;
}

export class TemplateCatalogDto {
  @ApiProperty({ type: [String], enum: NOTIFICATION_TYPES }) types!: string[];
  @ApiProperty({ type: [String], enum: CHANNELS, description: 'Passenger channels (partner webhooks carry the facts as JSON, no template).' })
  channels!: string[];
  @ApiProperty({ type: [TemplateLocaleDto], description: 'The catalogs the service loaded, sorted by code.' }) locales!: TemplateLocaleDto[];
  @ApiProperty({ type: 'integer', description: 'SMS_SEGMENT_BUDGET: start-up refuses a catalog whose SMS would need more segments.' })
  smsSegmentBudget!: number;
  @ApiProperty({ type: [TemplateTypeDto] }) templates!: TemplateTypeDto[];
}

export class PreviewWhatsAppTemplateDto {
  @ApiProperty({ example: 'flight_delay__delayed_gate__3f9a1c' }) name!: string;
  @ApiProperty({ example: 'ja', description: "WhatsApp's language code." }) language!: string;
  @ApiProperty({ description: 'The approved body, {{1}} … {{n}} where the parameters go.' }) body!: string;
  @ApiProperty({ type: [String], description: 'Parameter values, in order.' }) parameters!: string[];
  @ApiPropertyOptional({ enum: ['document'], description: 'The boarding pass travels as a document header.' }) header?: 'document';
}

export class PreviewContentDto {
  @ApiProperty({ example: 'ja', description: 'The catalog the words come from.' }) locale!: string;
  @ApiProperty({ description: 'The text (e-mail: the plain-text part).' }) text!: string;
  @ApiPropertyOptional({ description: 'E-mail only.' }) subject?: string;
  @ApiPropertyOptional({ description: 'E-mail only: the HTML body (show it in a sandboxed frame).' }) html?: string;
  @ApiPropertyOptional({ type: PreviewWhatsAppTemplateDto, description: 'WhatsApp only: the template form it is sent in.' })
  whatsappTemplate?: PreviewWhatsAppTemplateDto;
}

export class SmsSegmentsDto {
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] }) encoding!: 'GSM-7' | 'UCS-2';
  @ApiProperty({ type: 'integer', description: 'Segments the carrier bills.' }) segments!: number;
  @ApiProperty({ type: 'integer', description: 'SMS_SEGMENT_BUDGET.' }) budget!: number;
}

export class TemplatePreviewDto {
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ example: 'ja', description: 'The locale asked for.' }) locale!: string;
  @ApiProperty({ enum: ['ltr', 'rtl'], description: 'Writing direction of the catalog used.' }) dir!: 'ltr' | 'rtl';
  @ApiProperty({ type: [String], description: 'The optional facts this message tells on this channel, in line order.' }) facts!: string[];
  @ApiProperty({ type: PreviewContentDto }) content!: PreviewContentDto;
  @ApiProperty({ type: SmsSegmentsDto, nullable: true, description: 'SMS only: how it is billed.' }) sms!: SmsSegmentsDto | null;
}

export class NotificationPreviewDto extends TemplatePreviewDto {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty({ example: 'nl-NL', description: "The notification's own locale (the passenger's)." }) sentLocale!: string;
  @ApiProperty({ example: 'whatsapp', description: "The notification's own channel (webhook for a partner)." }) sentChannel!: string;
}
