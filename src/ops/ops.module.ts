import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventsModule } from '../events/events.module';
import { AuditModule } from './audit/audit.module';
import { OpsAuthGuard } from './auth/ops-auth.guard';
import { DeadLettersController } from './dead-letters.controller';

/** What operations staff use to find and handle what went wrong; and the guard in front of all of /api. */
@Module({
  imports: [EventsModule, AuditModule],
  controllers: [DeadLettersController],
  providers: [{ provide: APP_GUARD, useClass: OpsAuthGuard }],
})
export class OpsModule {}
