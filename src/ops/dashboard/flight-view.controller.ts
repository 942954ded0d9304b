import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParsePatternPipe } from '../../common/parse-pattern.pipe';
import { ReadOnly } from '../auth/ops-role';
import { FlightViewDto } from './flight-view.responses';
import { FLIGHT_KEY_PATTERN, FlightViewService } from './flight-view.service';

const flightKey = new ParsePatternPipe('flight', FLIGHT_KEY_PATTERN, 'a flight key like KL1234-2026-12-01');

/** The dashboard's per-flight view (/dashboard/#/flight/KL1234-2026-12-01). */
@Controller('api/flights')
@ReadOnly()
@ApiTags('Dashboard')
@ApiBearerAuth()
export class FlightViewController {
  constructor(private readonly flights: FlightViewService) {}

  @Get(':flight')
  @ApiOperation({ summary: "One flight: its latest status, its passengers' notifications by type × channel × status, and the failed ones with their errors" })
  @ApiOkResponse({ type: FlightViewDto })
  view(@Param('flight', flightKey) flight: string): Promise<FlightViewDto> {
    return this.flights.view(flight);
  }
}
