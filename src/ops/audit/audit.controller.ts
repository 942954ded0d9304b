import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import type { AuditOutcome } from './audit.repository';
import { AuditService } from './audit.service';

const OUTCOMES: AuditOutcome[] = ['succeeded', 'failed'];

class AuditQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 100, example: 'replay.bulk', description: 'Only this action.' })
  @IsOptional() @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ enum: OUTCOMES, description: 'Only actions that took effect, or only those that failed.' })
  @IsOptional() @IsIn(OUTCOMES)
  outcome?: AuditOutcome;
}

@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async list(@Query() query: AuditQuery) {
    return { items: await this.audit.list(query.limit ?? 100, { action: query.action, outcome: query.outcome }) };
  }
}
