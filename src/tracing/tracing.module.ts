import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { httpServerSpan } from './spans';
import { TracingService } from './tracing.service';

/** OpenTelemetry traces (see docs/decisions/0011-traces.md); off unless an OTLP endpoint is configured. */
@Global()
@Module({ providers: [TracingService], exports: [TracingService] })
export class TracingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpServerSpan).forRoutes('{*path}');
  }
}
