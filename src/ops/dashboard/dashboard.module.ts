import { Module } from '@nestjs/common';
import { DashboardPageController } from './dashboard-page.controller';
import { FlightViewController } from './flight-view.controller';
import { FlightViewRepository } from './flight-view.repository';
import { FlightViewService } from './flight-view.service';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';

/** The operations console: the static page at /dashboard and the read endpoints only it needs. */
@Module({
  controllers: [DashboardPageController, StatsController, FlightViewController],
  providers: [StatsRepository, FlightViewRepository, FlightViewService],
})
export class DashboardModule {}
