import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../notifications/notification-types';
import type { DeliveryChannel, NotificationStatus, NotificationType } from '../../notifications/notification-types';

export class ReplayOneBody {
  /** Send again even though it was sent or delivered. */
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** POST /api/replays: which notifications to replay; `dryRun` only counts them. */
export class ReplayFilterBody {
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @IsOptional()
  @IsIn(NOTIFICATION_TYPES)
  type?: NotificationType;

  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;

  @IsOptional()
  @Matches(/^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?-\d{4}-\d{2}-\d{2}$/, { message: 'flight must look like KL1234-2026-12-01' })
  flight?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]{6}$/, { message: 'bookingReference must be 6 characters A-Z or 0-9' })
  bookingReference?: string;

  @IsOptional()
  @MaxLength(64)
  errorCode?: string;

  /** Created at or after this instant (RFC 3339). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an RFC 3339 date-time' })
  since?: Date;

  /** Created before this instant (RFC 3339). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an RFC 3339 date-time' })
  until?: Date;

  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
