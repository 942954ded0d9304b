import { Module } from '@nestjs/common';
import { DashboardPageController } from './dashboard-page.controller';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';

/** The operations console: the static page at /dashboard and the read endpoints only it needs. */
@Module({ controllers: [DashboardPageController, StatsController], providers: [StatsRepository] })
export class DashboardModule {}
