import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { AuditService } from './audit/audit.service';
import { Audited, routeParam } from './audit/audited.decorator';
import { OperatorOnly, OpsPrincipal, ReadOnly } from './auth/ops-role';
import { BulkDryRunDto } from './bulk-dry-run.responses';
import { Principal } from './auth/principal.decorator';
import { bulkRedriveFilter, DeadLetterQuery, RedriveManyBody, RedriveManyResult, RedriveOneBody } from './dead-letters.dto';
import { DeadLettersService } from './dead-letters.service';
import { DeadLetterListDto, RedriveAppliedDto, RedriveDuplicateDto, RedriveParkedDto, RedriveSkippedDto } from './dead-letters.responses';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

/** Parked events with the reason each was parked, newest first; and putting them back through. */
@Controller('api/dead-letters')
@ApiExtraModels(RedriveAppliedDto, RedriveDuplicateDto, RedriveParkedDto, RedriveSkippedDto, RedriveManyResult, BulkDryRunDto)
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
  @Audited('dead-letter.redrive', routeParam('id'))
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
  @Audited('dead-letter.redrive-bulk')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-drive every open parked event matching the filter (or all: true), oldest first; dryRun only counts; audited' })
  @ApiOkResponse({
    description: 'Outcomes by kind, or with dryRun the count.',
    schema: { oneOf: [{ $ref: getSchemaPath(RedriveManyResult) }, { $ref: getSchemaPath(BulkDryRunDto) }] },
  })
  @ApiBadRequestResponse({ description: 'No filter and no `all: true`, or more than BULK_CONFIRM_ABOVE without `confirm` equal to their count.' })
  async redriveMany(@Body() body: RedriveManyBody, @Principal() who: OpsPrincipal) {
    const filter = bulkRedriveFilter(body);
    if (body.dryRun) return { dryRun: true, ...(await this.deadLetters.count(filter)) };
    const result = await this.deadLetters.redriveMatching(filter, body.confirm);
    await this.audit.record(who, 'dead-letter.redrive-bulk', {
      affected: result.total,
      detail: { filter: body.all ? { all: true } : filter, outcomes: result.outcomes },
    });
    return result;
  }
}
