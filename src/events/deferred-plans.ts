import type { NotificationPlan } from '../notifications/notification-plan';
import type { PlannedGroup } from '../notifications/notification.repository';
import type { TraceCarrier } from '../tracing/trace-context';
import type { EventScope } from './event-scope';

/**
 * The plans of a batch's events, held back to be stored in one statement (issue 19). An event whose scope
 * meets a held plan's booking or flight must see that plan pending, exactly as if it had come alone, so the
 * held plans are stored before it applies.
 */
export class DeferredPlans {
  private groups: (PlannedGroup & { owner: number })[] = [];
  private readonly bookings = new Set<string>();
  private readonly flights = new Set<string>();

  /** `owner`: the index of the event that planned them, to credit it with what was new. */
  hold(owner: number, plans: NotificationPlan[], traceContext: TraceCarrier | null): void {
    if (plans.length === 0) return;
    this.groups.push({ owner, plans, traceContext });
    for (const plan of plans) {
      this.bookings.add(plan.bookingReference);
      if (plan.flightKey) this.flights.add(plan.flightKey);
    }
  }

  meets(scope: EventScope): boolean {
    return scope.bookings.some((b) => this.bookings.has(b)) || scope.flights.some((f) => this.flights.has(f));
  }

  /** Hands the held groups over (with their owners) and starts empty. */
  take(): (PlannedGroup & { owner: number })[] {
    const taken = this.groups;
    this.groups = [];
    this.bookings.clear();
    this.flights.clear();
    return taken;
  }
}
