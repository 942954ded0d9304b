import { applyDecorators, BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { QueryBoolean } from '../common/query-boolean';
import type { DeadLetterFilter } from './dead-letters.service';

export const REASON_CODES = ['oversize', 'bad-json', 'bad-envelope', 'unknown-type', 'bad-data', 'routing-mismatch', 'unknown-reference', 'processing-failed'];

/** Dead letters chosen by why they were parked; the same criterion lists them and re-drives them. */
function ReasonCodeCriterion(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ enum: REASON_CODES }), IsOptional(), IsIn(REASON_CODES));
}

/** Dead letters chosen by their CloudEvent type; the same criterion lists them and re-drives them. */
function EventTypeCriterion(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ maxLength: 100, description: 'CloudEvent type, e.g. checkin.completed.' }), IsOptional(), MaxLength(100));
}

/** GET /api/dead-letters */
export class DeadLetterQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @QueryBoolean('true: only those not re-driven yet; false: only those re-driven; absent: both.')
  open?: boolean;

  @ReasonCodeCriterion()
  reasonCode?: string;

  @EventTypeCriterion()
  type?: string;
}

export class RedriveOneBody {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'A corrected event to process instead of the parked bytes.' })
  @IsOptional() @IsObject()
  event?: Record<string, unknown>;
}

/** POST /api/dead-letters/redrive: a filter, or `all: true`; never everything by omission. */
export class RedriveManyBody {
  @ReasonCodeCriterion()
  reasonCode?: string;

  @EventTypeCriterion()
  type?: string;

  @ApiPropertyOptional({ description: 'Every open dead letter, without a filter. Needed when neither reasonCode nor type is given.' })
  @IsOptional() @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ description: 'Only count the open dead letters that match; nothing is re-driven.', default: false })
  @IsOptional() @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'The number of open dead letters that match (as a dry run counted them), echoed back. Needed when it is more ' +
      'than BULK_CONFIRM_ABOVE (1000 by default); when given, it must be exactly the count.',
  })
  @IsOptional()
  @IsInt({ message: 'confirm must be the number of dead letters the re-drive touches (an integer)' })
  @Min(0)
  confirm?: number;
}

export class RedriveManyResult {
  @ApiProperty({ description: 'Open dead letters that matched.' })
  total!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { applied: 12, parked: 1, skipped: 0, failed: 0 },
    description: 'Outcomes by kind: applied, duplicate, parked (still broken, parked again), skipped (re-driven meanwhile), failed (stays open).',
  })
  outcomes!: Record<string, number>;
}

/** A bulk re-drive names at least one of these: a filter, or `all: true` (the OpenAPI document says so too). */
export const REDRIVE_MANY_CHOOSERS = ['reasonCode', 'type', 'all'] as const;

/** The filter of a bulk re-drive: at least one criterion, or `all: true` alone. */
export function bulkRedriveFilter(body: RedriveManyBody): DeadLetterFilter {
  const filtered = body.reasonCode !== undefined || body.type !== undefined;
  if (body.all === true && filtered) throw new BadRequestException('all: true re-drives every open dead letter; give it without reasonCode or type');
  if (!filtered && body.all !== true) {
    throw new BadRequestException('give reasonCode or type to choose the dead letters to re-drive, or all: true for every open one');
  }
  return { reasonCode: body.reasonCode, type: body.type };
}
