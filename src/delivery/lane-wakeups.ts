import type { DeliveryChannel } from '../vocabulary/notification-types';

/**
 * When the dispatcher's sleeping lanes wake (one replica; each channel has lane 0 and helper lanes). A NOTIFY
 * wakes lane 0 alone: with every lane woken, each commit of a steady intake set all of them claiming the same
 * few rows (3 per claim in the booking-stream bench), which cost PostgreSQL more than the sends. Lane 0 wakes the
 * helpers when it claims a full batch. Work NOTIFYed while lane 0 has been in one batch for `helpAfterMs` goes to
 * one helper instead of waiting for that batch to end (a slow provider, a cold start: docs/decisions/0044).
 */
export class LaneWakeups {
  private readonly sleepers = new Map<DeliveryChannel, Set<() => void>>();
  /** Lane 0 of each channel while it sleeps: a NOTIFY wakes it alone. */
  private readonly leads = new Map<DeliveryChannel, () => void>();
  /** Channels NOTIFYed while their lane 0 was busy: it goes straight on instead of sleeping. */
  private readonly notified = new Set<DeliveryChannel>();
  /** When each channel's lane 0 last woke (absent before its first sleep). */
  private readonly leadBusySince = new Map<DeliveryChannel, number>();
  /** How often each channel's lane 0 has gone to sleep: a batch's end shows as a new count. */
  private readonly leadSleeps = new Map<DeliveryChannel, number>();
  /** Channels with a helper's wake-up pending for work lane 0 has not taken. */
  private readonly helpTimers = new Map<DeliveryChannel, NodeJS.Timeout>();

  constructor(
    private readonly channels: readonly DeliveryChannel[],
    private readonly helpAfterMs: number,
  ) {
    for (const channel of channels) this.sleepers.set(channel, new Set());
  }

  /** A helper lane (or lane 0 pausing briefly) sleeps `ms`, or until the channel is woken. */
  sleep(channel: DeliveryChannel, ms: number): Promise<void> {
    return this.sleepUntilWoken(channel, ms);
  }

  /** Lane 0 between batches: until `ms` pass or a NOTIFY names the channel (at once if one came meanwhile). */
  sleepLead(channel: DeliveryChannel, ms: number): Promise<void> {
    this.leadSleeps.set(channel, (this.leadSleeps.get(channel) ?? 0) + 1);
    if (this.notified.delete(channel)) {
      this.leadBusySince.set(channel, Date.now());
      return Promise.resolve();
    }
    // Shutdown and settlement still wake every lane: lane 0 sleeps among the others.
    return this.sleepUntilWoken(channel, ms, (wake) => this.leads.set(channel, wake));
  }

  /** A NOTIFY named these channels. */
  notify(channels: readonly DeliveryChannel[]): void {
    for (const channel of channels) {
      const lead = this.leads.get(channel);
      if (lead) lead();
      else {
        this.notified.add(channel);
        this.helpIfLeadStaysBusy(channel);
      }
    }
  }

  /** Wakes every sleeping lane of these channels (all when none are named). */
  wake(channels: readonly DeliveryChannel[] = this.channels): void {
    for (const channel of channels) for (const wake of [...(this.sleepers.get(channel) ?? [])]) wake();
  }

  /** Shutdown: no helper wake-up is left pending, and every lane wakes. */
  stop(): void {
    for (const timer of this.helpTimers.values()) clearTimeout(timer);
    this.helpTimers.clear();
    this.wake();
  }

  private sleepUntilWoken(channel: DeliveryChannel, ms: number, asLead?: (wake: () => void) => void): Promise<void> {
    const sleepers = this.sleepers.get(channel)!;
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        // At once, not when the lane runs again: a NOTIFY in between must find lane 0 awake and leave word.
        if (this.leads.get(channel) === wake) {
          this.leads.delete(channel);
          this.leadBusySince.set(channel, Date.now());
        }
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
      asLead?.(wake);
    });
  }

  /** If lane 0 is still in the same batch `helpAfterMs` after it began it, one sleeping helper takes the work. */
  private helpIfLeadStaysBusy(channel: DeliveryChannel): void {
    if (this.helpTimers.has(channel)) return;
    const batch = this.leadSleeps.get(channel) ?? 0;
    const busySince = this.leadBusySince.get(channel) ?? Date.now();
    const timer = setTimeout(
      () => {
        this.helpTimers.delete(channel);
        if (!this.notified.has(channel) || (this.leadSleeps.get(channel) ?? 0) !== batch) return;
        const helper = this.sleepers.get(channel)!.values().next().value;
        helper?.();
      },
      Math.max(0, busySince + this.helpAfterMs - Date.now()),
    );
    this.helpTimers.set(channel, timer);
  }
}
