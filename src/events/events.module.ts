import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { raw } from 'express';
import { INTAKE_CONFIG, IntakeConfig, InjectConfig } from '../config/config-slices';
import { MessagingModule } from '../messaging/messaging.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EventConsumer } from './event.consumer';
import { EventHandlerRegistry } from './event-handler-registry';
import { EventIngestor } from './event-ingestor.service';
import { EventIntakeController } from './event-intake.controller';
import { EventIntakeService } from './event-intake.service';
import { EVENT_VALIDATOR_OPTIONS, eventValidatorProvider } from './event-validator';
import { InboxRepository } from './inbox.repository';
import { ParkedEventRepository } from './parked-event.repository';

/**
 * Events in. The handlers of each event type live in the feature modules and register themselves
 * (@HandlesEvents, found by EventHandlerRegistry), so this module imports none of them.
 */
@Module({
  imports: [MessagingModule, NotificationsModule, DiscoveryModule],
  controllers: [EventIntakeController],
  providers: [
    { provide: EVENT_VALIDATOR_OPTIONS, inject: [INTAKE_CONFIG.token], useFactory: (c: IntakeConfig) => ({ maxBytes: c.MAX_EVENT_BYTES }) },
    eventValidatorProvider,
    InboxRepository,
    ParkedEventRepository,
    EventHandlerRegistry,
    EventIngestor,
    EventConsumer,
    EventIntakeService,
  ],
  exports: [EventIngestor, ParkedEventRepository],
})
export class EventsModule implements NestModule {
  constructor(@InjectConfig(INTAKE_CONFIG) private readonly config: IntakeConfig) {}

  /**
   * POST /api/events takes CloudEvents content types the global JSON parser does not read; they arrive
   * as bytes. A batch may hold up to 100 events, so the limit is the larger of MAX_EVENT_BYTES and 1 MiB;
   * a single event over MAX_EVENT_BYTES within it is parked as oversize, as from the broker.
   */
  configure(consumer: MiddlewareConsumer): void {
    const limit = Math.max(this.config.MAX_EVENT_BYTES, 1024 * 1024);
    consumer.apply(raw({ type: () => true, limit })).forRoutes({ path: 'api/events', method: RequestMethod.POST });
  }
}
