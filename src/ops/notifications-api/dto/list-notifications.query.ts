import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../../vocabulary/notification-types';
import type { DeliveryChannel, NotificationStatus, NotificationType } from '../../../vocabulary/notification-types';

/** Query of GET /api/notifications. Unknown parameters are refused (whitelist + forbidNonWhitelisted). */
export class ListNotificationsQuery {
  @IsOptional()
  @Matches(/^[A-Z0-9]{6}$/, { message: 'bookingReference must be 6 characters A-Z or 0-9' })
  bookingReference?: string;

  @IsOptional()
  @MaxLength(64)
  passengerId?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?-\d{4}-\d{2}-\d{2}$/, { message: 'flight must look like KL1234-2026-12-01' })
  flight?: string;

  @IsOptional()
  @IsIn(NOTIFICATION_TYPES)
  type?: NotificationType;

  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;

  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be a value returned as nextCursor' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
