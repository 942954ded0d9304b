import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SCHEDULING_CONFIG, SchedulingConfig, InjectConfig } from '../config/config-slices';
import { toFlightView } from '../flights/flight-change-detector';
import type { NotificationPlan } from '../notifications/notification-plan';
import { NotificationPlanner } from '../notifications/notification-planner.service';
import { NotificationRepository } from '../notifications/notification.repository';
import { Clock } from '../scheduling/clock';
import { JobOutcome, ScheduledJobRunner } from '../scheduling/job-runner.service';
import { tickOf } from '../scheduling/ticks';
import { CheckinReminderRepository } from './checkin-reminder.repository';
import { CHECKIN_CLOSES_MINUTES, unitedStatesAirports } from './reminder-policy';

/** The "event" a reminder comes from: its id is the flight, so the dedupe key is one per passenger, flight and channel. */
export const REMINDER_SOURCE = '/scheduler/checkin-open';
const BATCH = 500;

/**
 * Every minute: passengers whose check-in has opened (CHECKIN_REMINDER_HOURS before departure, or
 * CHECKIN_REMINDER_HOURS_US to the United States) and who have not checked in get a checkin-open
 * notification on their channels. A booking made after that moment is caught by the next tick.
 */
@Injectable()
export class CheckinReminderJob {
  static readonly NAME = 'checkin-reminders';
  private readonly usAirports = unitedStatesAirports();

  constructor(
    private readonly runner: ScheduledJobRunner,
    private readonly reminders: CheckinReminderRepository,
    private readonly planner: NotificationPlanner,
    private readonly notifications: NotificationRepository,
    private readonly clock: Clock,
    @InjectConfig(SCHEDULING_CONFIG) private readonly config: SchedulingConfig,
  ) {}

  /** One tick (the current minute by the clock); a replica that finds it running or done does nothing. */
  async run(): Promise<JobOutcome> {
    const now = this.clock.now();
    return this.runner.runTick(CheckinReminderJob.NAME, tickOf(now, 'minute'), (m) => this.remind(m, now));
  }

  /** Plans the due reminders in the tick's transaction; returns how many notifications it created. */
  private async remind(m: EntityManager, now: Date): Promise<number> {
    let created = 0;
    for (;;) {
      const due = await this.reminders.findDue(m, {
        now,
        hours: this.config.CHECKIN_REMINDER_HOURS,
        usHours: this.config.CHECKIN_REMINDER_HOURS_US,
        usAirports: this.usAirports,
        closesMinutes: CHECKIN_CLOSES_MINUTES,
        limit: BATCH,
      });
      const plans: NotificationPlan[] = [];
      const planned = due.map(({ passenger, segment, flightKey, status }) => {
        const flight = toFlightView(segment, {
          scheduledArrival: segment.scheduledArrival,
          ...(status ?? {}),
          scheduledDeparture: segment.scheduledDeparture,
        });
        const forPassenger = this.planner.plan('checkin-open', { source: REMINDER_SOURCE, id: flightKey }, passenger, { flight }, flightKey);
        plans.push(...forPassenger);
        return { bookingReference: passenger.bookingReference, passengerId: passenger.passengerId, flightKey, segmentId: segment.segmentId, notifications: forPassenger.length };
      });
      created += await this.notifications.insertPlanned(m, plans);
      await this.reminders.recordPlanned(m, planned);
      if (due.length < BATCH) return created;
    }
  }
}
