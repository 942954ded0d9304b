import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CHANNELS, type Channel } from '../../vocabulary/notification-types';

/** A BCP 47 tag's shape (language, then subtags); which catalogs exist is the service's to say. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** Fact names separated by commas; empty: the combination that tells no optional fact. */
export const FACTS_PATTERN = /^([a-z_]+(,[a-z_]+)*)?$/;

/** GET /api/templates/:type/:channel/:locale/preview */
export class TemplatePreviewQuery {
  @ApiPropertyOptional({
    pattern: FACTS_PATTERN.source,
    example: 'delayed,gate',
    description:
      'A combination of optional facts (any order, as GET /api/templates lists them); empty for none. ' +
      'Absent: the combination that tells the most facts.',
  })
  @IsOptional()
  @Matches(FACTS_PATTERN, { message: 'facts must be fact names separated by commas, e.g. delayed,gate' })
  facts?: string;
}

/** GET /api/notifications/:id/preview */
export class NotificationPreviewQuery {
  @ApiPropertyOptional({ pattern: LOCALE_PATTERN.source, example: 'ja', description: "A catalog's locale (GET /api/templates); absent: the notification's own." })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must be a language tag such as ja or pt-PT' })
  locale?: string;

  @ApiPropertyOptional({ enum: CHANNELS, description: "Absent: the notification's own channel (required for a partner webhook's)." })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}
