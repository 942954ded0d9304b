import { Module } from '@nestjs/common';
import { MessagingModule } from '../../messaging/messaging.module';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** GET /metrics for Prometheus and the gauges read in the background; the pipeline's recorders are src/metrics. */
@Module({ imports: [MessagingModule], controllers: [MetricsController], providers: [MetricsService, MetricsRepository] })
export class MetricsEndpointModule {}
