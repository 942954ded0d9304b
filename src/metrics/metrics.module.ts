import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { PipelineMetrics } from './pipeline-metrics';

/**
 * The app's Prometheus registry (with the process's default metrics) and PipelineMetrics, the recorders the
 * pipeline calls. Global, like configuration: every layer above measures through it without importing it.
 */
@Global()
@Module({
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry, prefix: 'notifier_' });
        return registry;
      },
    },
    PipelineMetrics,
  ],
  exports: [Registry, PipelineMetrics],
})
export class MetricsModule {}
