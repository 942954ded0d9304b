import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../vocabulary/notification-types';

/** Response shapes of the replay endpoints, as JSON sends them. */
export class ReplayedDto {
  @ApiProperty({ enum: ['replayed'] }) outcome!: 'replayed';
  @ApiProperty({ enum: NOTIFICATION_STATUSES, description: 'Status before it was put back to pending.' }) previousStatus!: string;
}

export class ReplaySkippedDto {
  @ApiProperty({ enum: ['skipped'] }) outcome!: 'skipped';
  @ApiProperty({ example: 'status is delivered (force to send again)' }) reason!: string;
}

export class ReplaySelectionDto {
  @ApiPropertyOptional() bookingReference?: string;
  @ApiPropertyOptional() passengerId?: string;
  @ApiPropertyOptional() flight?: string;
  @ApiPropertyOptional({ enum: NOTIFICATION_TYPES }) type?: string;
  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS }) channel?: string;
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES }) status?: string;
  @ApiPropertyOptional() errorCode?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdTo?: string;
}

export class ReplayJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['running', 'done', 'cancelled'] }) status!: string;
  @ApiProperty({ type: 'integer', description: 'Notifications matched when the job started.' }) total!: number;
  @ApiProperty({ type: 'integer' }) replayed!: number;
  @ApiProperty({ type: 'integer' }) skipped!: number;
  @ApiProperty({ type: ReplaySelectionDto }) filter!: ReplaySelectionDto;
  @ApiProperty() force!: boolean;
  @ApiProperty({ example: 'operator:1a2b3c4d' }) requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'operator:1a2b3c4d', description: 'Who cancelled it, if anyone.' })
  cancelledBy!: string | null;
}
