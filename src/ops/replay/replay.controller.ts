import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { Audited, routeParam } from '../audit/audited.decorator';
import { OperatorOnly, OpsPrincipal, ReadOnly } from '../auth/ops-role';
import { Principal } from '../auth/principal.decorator';
import { BulkDryRunDto } from '../bulk-dry-run.responses';
import { PipelineMetrics } from '../../metrics/pipeline-metrics';
import { ReplayFilterBody, ReplayOneBody } from './replay.dto';
import { ReplayJobService } from './replay-job.service';
import { ReplayedDto, ReplayJobDto, ReplaySkippedDto } from './replay.responses';
import { ReplayService } from './replay.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

/** Sending again what failed, one by one or by filter, never twice. */
@Controller('api')
@ApiExtraModels(ReplayedDto, ReplaySkippedDto, BulkDryRunDto, ReplayJobDto)
export class ReplayController {
  constructor(
    private readonly replay: ReplayService,
    private readonly jobs: ReplayJobService,
    private readonly audit: AuditService,
    private readonly metrics: PipelineMetrics,
  ) {}

  @Post('notifications/:id/replay')
  @OperatorOnly()
  @Audited('replay.one', routeParam('id'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Send one notification again (a sent or delivered one only with force); audited' })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(ReplayedDto) }, { $ref: getSchemaPath(ReplaySkippedDto) }] } })
  async replayOne(@Param('id', uuid) id: string, @Body() body: ReplayOneBody, @Principal() who: OpsPrincipal) {
    const outcome = await this.replay.replayOne(id, who, { force: body.force });
    await this.audit.record(who, 'replay.one', {
      target: id,
      affected: outcome.outcome === 'replayed' ? 1 : 0,
      detail: { force: body.force ?? false, ...outcome },
    });
    this.metrics.replayed(outcome.outcome);
    return outcome;
  }

  @Post('replays')
  @OperatorOnly()
  @Audited('replay.bulk')
  @HttpCode(202)
  @ApiOperation({ summary: 'Replay every notification matching the filter (failed ones unless told), in the background; dryRun only counts' })
  @ApiAcceptedResponse({
    description: 'The job started (follow it with GET /api/replays/{id}), or the count of a dry run.',
    schema: { oneOf: [{ $ref: getSchemaPath(ReplayJobDto) }, { $ref: getSchemaPath(BulkDryRunDto) }] },
  })
  @ApiBadRequestResponse({ description: 'A bad filter, or more than BULK_CONFIRM_ABOVE notifications without `confirm` equal to their count.' })
  async replayMany(@Body() body: ReplayFilterBody, @Principal() who: OpsPrincipal) {
    const { dryRun, force, confirm, since, until, status, ...rest } = body;
    // Without a status a replay takes failed notifications only (never "everything").
    const selection = { ...rest, status: status ?? 'failed', createdFrom: since, createdTo: until };
    if (dryRun) return { dryRun: true, ...(await this.jobs.count(selection)) };
    return this.metrics.replayJobStarted(await this.jobs.start(selection, { force: force ?? false, confirm }, who));
  }

  @Get('replays/:id')
  @ReadOnly()
  @ApiOperation({ summary: 'Progress of a replay by filter' })
  @ApiOkResponse({ type: ReplayJobDto })
  async progress(@Param('id', uuid) id: string) {
    return this.jobs.get(id);
  }

  @Post('replays/:id/cancel')
  @OperatorOnly()
  @Audited('replay.cancel', routeParam('id'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a running replay by filter; audited' })
  @ApiOkResponse({ type: ReplayJobDto, description: 'Cancelled: nothing more of it is queued (what was queued stays queued).' })
  @ApiConflictResponse({ description: 'The replay finished already.' })
  async cancel(@Param('id', uuid) id: string, @Principal() who: OpsPrincipal) {
    return this.jobs.cancel(id, who);
  }
}
