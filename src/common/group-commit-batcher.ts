/**
 * Hands items on in batches as they arrive: at most `lanes` batches at a time, each weighing at most `maxBatch`
 * (each item weighs `weigh(item)`, 1 unless told; an item heavier than that still goes, alone).
 * While every lane is busy, arrivals wait and leave together in the next batch, so the busier the intake the
 * larger its batches (group commit), and an idle intake sends each item on at once. Items that arrive in the
 * same turn of the event loop (one socket read from the broker, the reports of one webhook request) go together,
 * in arrival order, in one batch while it has room: events published back to back (a booking, then news of its
 * flight) are then applied in that order rather than racing in two transactions.
 */
export class GroupCommitBatcher<T> {
  private waiting: T[] = [];
  private busy = 0;
  private scheduled = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly lanes: number,
    private readonly maxBatch: number,
    private readonly flush: (batch: T[]) => Promise<void>,
    private readonly weigh: (item: T) => number = () => 1,
  ) {}

  add(item: T): void {
    this.waiting.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  /** Resolves when nothing waits and no batch is in hand. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    while (this.busy < this.lanes && this.waiting.length > 0) this.start(this.waiting.splice(0, this.fitting()));
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** How many of the waiting items, from the first, the next batch takes: at least one. */
  private fitting(): number {
    let weight = this.weigh(this.waiting[0]);
    let count = 1;
    for (; count < this.waiting.length; count++) {
      weight += this.weigh(this.waiting[count]);
      if (weight > this.maxBatch) break;
    }
    return count;
  }

  private start(batch: T[]): void {
    this.busy++;
    // `flush` owns its errors; a rejection here is only kept from becoming an unhandled one.
    void this.flush(batch)
      .catch(() => undefined)
      .finally(() => {
        this.busy--;
        this.drain();
      });
  }

  private isIdle(): boolean {
    return this.busy === 0 && this.waiting.length === 0 && !this.scheduled;
  }
}
