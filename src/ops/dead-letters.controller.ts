import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { AuditService } from './audit/audit.service';
import { OperatorOnly, OpsPrincipal, ReadOnly } from './auth/ops-role';
import { Principal } from './auth/principal.decorator';
import { DeadLettersService } from './dead-letters.service';
import { DeadLetterListDto, RedriveAppliedDto, RedriveDuplicateDto, RedriveParkedDto, RedriveSkippedDto, RedriveTallyDto } from './dead-letters.responses';

const REASON_CODES = ['oversize', 'bad-json', 'bad-envelope', 'unknown-type', 'bad-data', 'routing-mismatch', 'unknown-reference', 'processing-failed'];
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

class DeadLetterQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  /** true: only those not re-driven yet. */
  @IsOptional() @Type(() => Boolean) @IsBoolean() open?: boolean;
  @IsOptional() @IsIn(REASON_CODES) reasonCode?: string;
  @IsOptional() @MaxLength(100) type?: string;
}

class RedriveOneBody {
  /** A corrected event to process instead of the parked bytes. */
  @IsOptional() @IsObject() event?: Record<string, unknown>;
}

class RedriveManyBody {
  @IsOptional() @IsIn(REASON_CODES) reasonCode?: string;
  @IsOptional() @MaxLength(100) type?: string;
}

/** Parked events with the reason each was parked, newest first; and putting them back through. */
@Controller('api/dead-letters')
@ApiExtraModels(RedriveAppliedDto, RedriveDuplicateDto, RedriveParkedDto, RedriveSkippedDto)
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ReadOnly()
  @ApiOperation({ summary: 'Parked events with the reason each was parked, newest first' })
  @ApiOkResponse({ type: DeadLetterListDto })
  async list(@Query() query: DeadLetterQuery) {
    return { items: await this.deadLetters.list({ ...query, limit: query.limit ?? 100 }) };
  }

  @Post(':id/redrive')
  @OperatorOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-drive one parked event (its stored bytes, or a corrected event); audited' })
  @ApiOkResponse({
    schema: { oneOf: [RedriveAppliedDto, RedriveDuplicateDto, RedriveParkedDto, RedriveSkippedDto].map((dto) => ({ $ref: getSchemaPath(dto) })) },
  })
  @ApiConflictResponse({ description: 'The dead letter was re-driven already.' })
  async redrive(@Param('id', uuid) id: string, @Body() body: RedriveOneBody, @Principal() who: OpsPrincipal) {
    const outcome = await this.deadLetters.redrive(id, body.event);
    await this.audit.record(who, 'dead-letter.redrive', {
      target: id,
      affected: outcome.kind === 'applied' ? 1 : 0,
      detail: { outcome: outcome.kind, corrected: body.event !== undefined },
    });
    return outcome;
  }

  @Post('redrive')
  @OperatorOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-drive every open parked event matching the filter (up to 1000), oldest first; audited' })
  @ApiOkResponse({ type: RedriveTallyDto })
  async redriveMany(@Body() body: RedriveManyBody, @Principal() who: OpsPrincipal) {
    const outcomes = await this.deadLetters.redriveMatching(body);
    const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
    await this.audit.record(who, 'dead-letter.redrive-bulk', { affected: total, detail: { filter: body, outcomes } });
    return { total, outcomes };
  }
}
