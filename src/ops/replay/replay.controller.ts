import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { OperatorOnly, OpsPrincipal, ReadOnly } from '../auth/ops-role';
import { Principal } from '../auth/principal.decorator';
import { countReplayJob, observeReplay } from '../metrics/metrics';
import { ReplayFilterBody, ReplayOneBody } from './replay.dto';
import { ReplayJobService } from './replay-job.service';
import { ReplayDryRunDto, ReplayedDto, ReplayJobDto, ReplaySkippedDto } from './replay.responses';
import { ReplayService } from './replay.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') });

/** Sending again what failed, one by one or by filter, never twice. */
@Controller('api')
@ApiExtraModels(ReplayedDto, ReplaySkippedDto, ReplayDryRunDto, ReplayJobDto)
export class ReplayController {
  constructor(
    private readonly replay: ReplayService,
    private readonly jobs: ReplayJobService,
    private readonly audit: AuditService,
  ) {}

  @Post('notifications/:id/replay')
  @OperatorOnly()
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
    observeReplay(outcome.outcome);
    return outcome;
  }

  @Post('replays')
  @OperatorOnly()
  @HttpCode(202)
  @ApiOperation({ summary: 'Replay every notification matching the filter (failed ones unless told), in the background; dryRun only counts' })
  @ApiAcceptedResponse({
    description: 'The job started (follow it with GET /api/replays/{id}), or the count of a dry run.',
    schema: { oneOf: [{ $ref: getSchemaPath(ReplayJobDto) }, { $ref: getSchemaPath(ReplayDryRunDto) }] },
  })
  async replayMany(@Body() body: ReplayFilterBody, @Principal() who: OpsPrincipal) {
    const { dryRun, force, since, until, ...rest } = body;
    const selection = { status: 'failed' as const, ...rest, createdFrom: since, createdTo: until };
    if (dryRun) return { dryRun: true, matched: await this.jobs.count(selection) };
    return countReplayJob(await this.jobs.start(selection, force ?? false, who));
  }

  @Get('replays/:id')
  @ReadOnly()
  @ApiOperation({ summary: 'Progress of a replay by filter' })
  @ApiOkResponse({ type: ReplayJobDto })
  async progress(@Param('id', uuid) id: string) {
    return this.jobs.get(id);
  }
}
