import { Injectable } from '@nestjs/common';

/**
 * The time the scheduled jobs go by. Injected so tests can move it (jest.spyOn(app.get(Clock), 'now'));
 * the service itself always runs on SystemClock.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
