import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BookingsModule } from '../bookings/bookings.module';
import { EventsModule } from '../events/events.module';
import { FlightsModule } from '../flights/flights.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditModule } from './audit/audit.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { MetricsEndpointModule } from './metrics/metrics.module';
import { OpsAuthGuard } from './auth/ops-auth.guard';
import { ConsentsController } from './consents.controller';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';
import { ReplayJobRepository } from './replay/replay-job.repository';
import { ReplayJobService } from './replay/replay-job.service';
import { ReplayController } from './replay/replay.controller';
import { ReplayRepository } from './replay/replay.repository';
import { ReplayService } from './replay/replay.service';
import { TemplatesModule } from './templates/templates.module';

/** What operations staff use to find and handle what went wrong; and the guard in front of every route (deny by default). */
@Module({
  imports: [EventsModule, AuditModule, BookingsModule, FlightsModule, NotificationsModule, DashboardModule, MetricsEndpointModule, TemplatesModule],
  controllers: [DeadLettersController, ReplayController, ConsentsController],
  providers: [
    { provide: APP_GUARD, useClass: OpsAuthGuard },
    DeadLettersService,
    ReplayRepository,
    ReplayJobRepository,
    ReplayService,
    ReplayJobService,
  ],
})
export class OpsModule {}
