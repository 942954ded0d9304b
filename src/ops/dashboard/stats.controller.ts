import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadOnly, type OpsPrincipal } from '../auth/ops-role';
import { Principal } from '../auth/principal.decorator';
import { SessionResponse, StatsQuery, StatsResponse } from './stats.dto';
import { StatsRepository } from './stats.repository';

/** Read endpoints the dashboard needs besides the ops API: counts for the chart, and who the token is. */
@Controller('api')
@ReadOnly()
@ApiTags('Dashboard')
@ApiBearerAuth()
export class StatsController {
  constructor(private readonly stats: StatsRepository) {}

  @Get('stats')
  @ApiOperation({ summary: 'Notifications created per hour × channel × status over the last hours; the backlog and dispatch lag now; sends per minute over the last hour' })
  @ApiOkResponse({ type: StatsResponse })
  async counts(@Query() query: StatsQuery): Promise<StatsResponse> {
    return this.stats.read(query.hours ?? 6);
  }

  @Get('session')
  @ApiOperation({ summary: 'The role of the presented token (the dashboard shows operator actions only to operators)' })
  @ApiOkResponse({ type: SessionResponse })
  session(@Principal() who: OpsPrincipal): SessionResponse {
    return { role: who.role, actor: who.actor };
  }
}
