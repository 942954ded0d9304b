import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES } from '../../vocabulary/notification-types';

export const MAX_STATS_HOURS = 168;

/** GET /api/stats: how many hours back, counting the current hour. */
export class StatsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_STATS_HOURS, default: 6, description: 'Hours back, the current one included.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_STATS_HOURS)
  hours?: number;
}

export class StatsRow {
  @ApiProperty({ format: 'date-time', description: 'Start of the hour (UTC).' })
  hour!: string;

  @ApiProperty({ enum: DELIVERY_CHANNELS })
  channel!: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status!: string;

  @ApiProperty()
  count!: number;
}

export class StatsTotals {
  @ApiProperty({ description: 'Notifications created in the window.' })
  all!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { sent: 12, failed: 2 } })
  byStatus!: Record<string, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    example: { whatsapp: { sent: 10, failed: 2 }, email: { delivered: 2 } },
  })
  byChannel!: Record<string, Record<string, number>>;
}

/**
 * What the dispatcher has not finished, now. There is no "in doubt" status (a send whose outcome is unknown):
 * a claim that outlives its lease is put back to pending, so such rows show as `sending` until then.
 */
export class StatsBacklog {
  @ApiProperty({ type: 'integer', description: 'Waiting to be sent: due now plus scheduled for later.' })
  pending!: number;

  @ApiProperty({ type: 'integer', description: 'Pending and due now (the dispatcher is behind on these).' })
  due!: number;

  @ApiProperty({ type: 'integer', description: 'Pending with a due time in the future (reminders, retries, rate limits).' })
  scheduled!: number;

  @ApiProperty({ type: 'integer', description: 'Claimed by a dispatcher, being sent.' })
  sending!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Due time of the oldest due pending notification; null when none is due.' })
  oldestDueAt!: string | null;

  @ApiProperty({ type: 'integer', description: 'Dispatch lag: seconds since the oldest due pending notification was due; 0 when none is due.' })
  lagSeconds!: number;
}

export class StatsMinute {
  @ApiProperty({ format: 'date-time', description: 'Start of the minute (UTC).' })
  minute!: string;

  @ApiProperty({ type: 'integer', description: 'Notifications created.' })
  created!: number;

  @ApiProperty({ type: 'integer', description: 'Send attempts the provider accepted or delivered.' })
  sent!: number;

  @ApiProperty({ type: 'integer', description: 'Notifications given up on, or reported failed by the provider.' })
  failed!: number;

  @ApiProperty({ type: 'integer', description: 'Sends put back in line (retry scheduled, or deferred by a rate limit or a paused channel).' })
  retried!: number;
}

export class StatsResponse {
  @ApiProperty({ format: 'date-time', description: 'Start of the first hour counted.' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [String], description: 'Every hour of the window, oldest first, empty ones included.' })
  hours!: string[];

  @ApiProperty({ type: [StatsRow], description: 'Notifications created per hour × channel × status (only non-zero cells).' })
  rows!: StatsRow[];

  @ApiProperty({ type: StatsTotals })
  totals!: StatsTotals;

  @ApiProperty({ type: StatsBacklog })
  backlog!: StatsBacklog;

  @ApiProperty({ type: [StatsMinute], description: 'The last 60 minutes, oldest first, the current one included, empty ones too.' })
  minutes!: StatsMinute[];
}

export class SessionResponse {
  @ApiProperty({ enum: ['viewer', 'operator'] })
  role!: string;

  @ApiProperty({ description: 'Fingerprint of the token, as written in the audit trail.', example: 'operator:1a2b3c4d' })
  actor!: string;
}
