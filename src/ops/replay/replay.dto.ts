import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsOptional, Matches, MaxLength, Min } from 'class-validator';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../vocabulary/notification-types';
import type { DeliveryChannel, NotificationStatus, NotificationType } from '../../vocabulary/notification-types';

const FLIGHT = /^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?-\d{4}-\d{2}-\d{2}$/;
const BOOKING_REFERENCE = /^[A-Z0-9]{6}$/;

export class ReplayOneBody {
  @ApiPropertyOptional({ description: 'Send again even though it was sent, delivered or read.', default: false })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** POST /api/replays: which notifications to replay; `dryRun` only counts them. */
export class ReplayFilterBody {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, default: 'failed', description: 'Without it, failed notifications only.' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_TYPES })
  @IsOptional()
  @IsIn(NOTIFICATION_TYPES)
  type?: NotificationType;

  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;

  @ApiPropertyOptional({ pattern: FLIGHT.source, example: 'KL1234-2026-12-01' })
  @IsOptional()
  @Matches(FLIGHT, { message: 'flight must look like KL1234-2026-12-01' })
  flight?: string;

  @ApiPropertyOptional({ pattern: BOOKING_REFERENCE.source, example: 'X7K2QP' })
  @IsOptional()
  @Matches(BOOKING_REFERENCE, { message: 'bookingReference must be 6 characters A-Z or 0-9' })
  bookingReference?: string;

  @ApiPropertyOptional({ maxLength: 64, description: "The provider's error code of the last failure.", example: '131026' })
  @IsOptional()
  @MaxLength(64)
  errorCode?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Created at or after this instant (RFC 3339).' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an RFC 3339 date-time' })
  since?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Created before this instant (RFC 3339).' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an RFC 3339 date-time' })
  until?: Date;

  @ApiPropertyOptional({ description: 'Only count what the filters match; nothing is replayed.', default: false })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'Also send again notifications that were sent, delivered or read.', default: false })
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'The number of notifications the filters match (as a dry run counted them), echoed back. Needed when it is ' +
      'more than BULK_CONFIRM_ABOVE (1000 by default); when given, it must be exactly the count.',
  })
  @IsOptional()
  @IsInt({ message: 'confirm must be the number of notifications the replay touches (an integer)' })
  @Min(0)
  confirm?: number;
}
