import { Module } from '@nestjs/common';
import { MessagingModule } from '../../messaging/messaging.module';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** GET /metrics for Prometheus. The instruments the pipeline updates live in metrics.ts. */
@Module({ imports: [MessagingModule], controllers: [MetricsController], providers: [MetricsService, MetricsRepository] })
export class MetricsModule {}
