import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { DeadLettersController } from './dead-letters.controller';

/** What operations staff use to find and handle what went wrong. */
@Module({ imports: [EventsModule], controllers: [DeadLettersController] })
export class OpsModule {}
