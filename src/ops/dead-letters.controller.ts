import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ParkedEventRepository } from '../events/parked-event.repository';

/** Parked events with the reason each was parked, newest first. */
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(private readonly parked: ParkedEventRepository) {}

  @Get()
  async list(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number) {
    return { items: await this.parked.list(Math.min(Math.max(limit, 1), 500)) };
  }
}
