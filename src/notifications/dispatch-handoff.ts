import { Injectable, Logger } from '@nestjs/common';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import { DispatchRepository } from './notification-dispatch.repository';
import type { NotificationRecord } from './notification-records';

/** What this replica's dispatcher offers one channel. */
export interface HandoffLane {
  /** Most notifications held for the channel at once: handed over and waiting, or promised to a planning transaction. */
  capacity: number;
  /** The claim's lease, as a claim would set it: a dead replica's handed-over notifications turn in doubt after it. */
  claimSeconds: number;
  /** Notifications were handed over: wake a lane. */
  ready: () => void;
}

/** One open channel: its lane, what waits for it, what planning transactions were promised. */
export interface ChannelHandoff {
  lane: HandoffLane;
  waiting: { record: NotificationRecord; at: number }[];
  promised: number;
  /**
   * Due notifications of the channel may be waiting in PostgreSQL (the room ran out, or a claim came back full):
   * nothing is handed over until a claim finds the channel caught up, so none overtakes an older one.
   */
  behind: boolean;
}

/**
 * Notifications the planning transaction stores already claimed by this replica (status 'sending', attempt 1, the
 * claim's lease) and hands to its dispatcher in memory once it commits: one write per notification fewer than a
 * claim, and no wait for a NOTIFY and a claim before the send (docs/decisions/0048). Only while the channel is
 * caught up and has room; everything else is stored pending, as before.
 */
@Injectable()
export class DispatchHandoff {
  private readonly logger = new Logger(DispatchHandoff.name);
  private readonly channels = new Map<DeliveryChannel, ChannelHandoff>();

  constructor(private readonly repository: DispatchRepository) {}

  /**
   * The dispatcher takes handed-over notifications of `channel` from now on, once a claim has found the channel
   * caught up (`claimed`): what waited in PostgreSQL before (a backlog at start, a pause) goes first.
   */
  open(channel: DeliveryChannel, lane: HandoffLane): void {
    const handoff = this.channels.get(channel);
    if (handoff) handoff.lane = lane; // the room follows the adapter's rate, should it change
    else this.channels.set(channel, { lane, waiting: [], promised: 0, behind: true });
  }

  /** Stops handing `channel` over and puts what waited back in line. */
  async close(channel: DeliveryChannel): Promise<void> {
    const handoff = this.channels.get(channel);
    this.channels.delete(channel);
    if (handoff) await this.putBack(handoff.waiting.map((w) => w.record), `${channel} closed`);
  }

  /**
   * The dispatcher stops: every channel closes, and planning transactions given places before that have up to
   * `waitMs` to commit and put theirs back in line too (while the dispatcher's connections are still open).
   */
  async closeAll(waitMs: number): Promise<void> {
    const open = [...this.channels.entries()];
    for (const [channel] of open) await this.close(channel);
    const giveUpAt = Date.now() + waitMs;
    while (open.some(([, h]) => h.promised > 0) && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** A planning transaction's share of the lanes' room, settled when it commits (`commit`) or not (`cancel`). */
  reserve(): HandoffReservation {
    return new HandoffReservation(this);
  }

  /** How many handed-over notifications of `channel` wait. */
  waiting(channel: DeliveryChannel): number {
    return this.channels.get(channel)?.waiting.length ?? 0;
  }

  /**
   * Up to `max` handed-over notifications of `channel`, oldest first. Those handed over more than half their lease
   * ago are put back in line instead: sent now, they could still be sending when the lease ends and another replica
   * takes them as in doubt.
   */
  async take(channel: DeliveryChannel, max: number, now = Date.now()): Promise<NotificationRecord[]> {
    const handoff = this.channels.get(channel);
    if (!handoff || handoff.waiting.length === 0) return [];
    const taken = handoff.waiting.splice(0, max);
    const staleBefore = now - (handoff.lane.claimSeconds * 1000) / 2;
    const stale = taken.filter((w) => w.at < staleBefore);
    if (stale.length > 0) await this.putBack(stale.map((w) => w.record), `${channel}: waited half their lease`);
    return (stale.length > 0 ? taken.filter((w) => w.at >= staleBefore) : taken).map((w) => w.record);
  }

  /**
   * Back in line, for any replica to claim. Should that fail (the database away), the rows stay claimed and turn in
   * doubt when their lease ends, as a dead replica's claims do.
   */
  async putBack(records: NotificationRecord[], why: string): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.repository.putBack(records);
    } catch (error) {
      this.logger.warn(`${records.length} notifications handed over (${why}) could not be put back in line: ${(error as Error).message}`);
    }
  }

  /** A claim of `channel` from PostgreSQL came back: full (more may be due there) or not (caught up). */
  claimed(channel: DeliveryChannel, full: boolean): void {
    const handoff = this.channels.get(channel);
    if (handoff) handoff.behind = full;
  }

  /**
   * @internal HandoffReservation's: a place on `channel` if there is room, as the channel's handoff it was given by;
   * none when the channel's handoff is no longer `only` (closed and opened again since the reservation's first place).
   */
  promise(channel: DeliveryChannel, only?: ChannelHandoff): ChannelHandoff | undefined {
    const handoff = this.channels.get(channel);
    if (!handoff || handoff.behind || (only && handoff !== only)) return undefined;
    if (handoff.waiting.length + handoff.promised >= handoff.lane.capacity) {
      handoff.behind = true;
      return undefined;
    }
    handoff.promised++;
    return handoff;
  }

  /**
   * @internal HandoffReservation's: `promised` places of `handoff` are settled and `records` were stored claimed
   * through them. Returns the records it could not take (the channel closed since, perhaps opened again).
   */
  settle(channel: DeliveryChannel, handoff: ChannelHandoff, promised: number, records: NotificationRecord[], at: number): NotificationRecord[] {
    handoff.promised -= promised;
    if (this.channels.get(channel) !== handoff) return records;
    if (records.length === 0) return [];
    for (const record of records) handoff.waiting.push({ record, at });
    handoff.lane.ready();
    return [];
  }
}

/**
 * One planning transaction's places in the lanes' room. The repository asks `place` for each notification due now
 * and stores those that got one claimed (`stored`); the transaction's owner then calls `commit` or `cancel`.
 */
export class HandoffReservation {
  private readonly places = new Map<DeliveryChannel, { handoff: ChannelHandoff; promised: number }>();
  private readonly records: NotificationRecord[] = [];
  /** Made before its transaction began: the leases, which start with the transaction (PostgreSQL's now()), start no earlier. */
  private readonly since = Date.now();

  constructor(private readonly handoff: DispatchHandoff) {}

  /** The lease (seconds) to store a row of `channel` claimed with, if the dispatcher has a place for it now. */
  place(channel: DeliveryChannel): number | undefined {
    const places = this.places.get(channel);
    const handoff = this.handoff.promise(channel, places?.handoff);
    if (!handoff) return undefined;
    if (places) places.promised++;
    else this.places.set(channel, { handoff, promised: 1 });
    return handoff.lane.claimSeconds;
  }

  /** A notification stored claimed through one of these places (a duplicate key leaves its place unused). */
  stored(record: NotificationRecord): void {
    this.records.push(record);
  }

  /** After the commit: hands the stored notifications over; those whose channel closed meanwhile go back in line. */
  async commit(): Promise<void> {
    const orphaned: NotificationRecord[] = [];
    for (const [channel, { handoff, promised }] of this.places) {
      const records = this.records.filter((r) => r.channel === channel);
      orphaned.push(...this.handoff.settle(channel, handoff, promised, records, this.since));
    }
    this.places.clear();
    await this.handoff.putBack(orphaned, 'their channel closed before the commit');
  }

  /** After a rollback: nothing was stored, the places are free again. */
  cancel(): void {
    for (const [channel, { handoff, promised }] of this.places) this.handoff.settle(channel, handoff, promised, [], this.since);
    this.places.clear();
  }
}
