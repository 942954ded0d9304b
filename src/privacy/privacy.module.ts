import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditModule } from '../ops/audit/audit.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { BookingErasureController } from './booking-erasure.controller';
import { RetentionCron } from './retention.cron';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';
import { SandboxOutbox } from './sandbox-outbox.service';

/** Personal data: the hourly retention purge and erasure of one booking on request (docs/decisions/0007). */
@Module({
  imports: [SchedulingModule, NotificationsModule, AuditModule],
  controllers: [BookingErasureController],
  providers: [RetentionRepository, RetentionService, RetentionCron, SandboxOutbox],
  exports: [RetentionService],
})
export class PrivacyModule {}
