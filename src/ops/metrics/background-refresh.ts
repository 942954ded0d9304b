/**
 * Work whose result is served from memory: run at most once per interval (counted from the end of the
 * previous run), never twice at the same time, started by whoever asks once it is due and not awaited by
 * them, except by those who ask before there is any result, who wait for the run in flight.
 * Used for the metrics read from PostgreSQL and RabbitMQ, so that any number of scrapes costs the database
 * one aggregation per interval.
 */
export class BackgroundRefresh {
  private inFlight?: Promise<void>;
  private finishedAt?: number;

  /** `work` reports its own failures (it should not reject); a rejection is swallowed here. */
  constructor(
    private readonly work: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when there is a result to serve; starts a run in the background when one is due. */
  async current(): Promise<void> {
    const running = this.inFlight ?? (this.isDue() ? this.start() : undefined);
    if (this.finishedAt === undefined) await running;
  }

  /** Resolves after a run that started no earlier than this call (tests; shutdown waits with `settled`). */
  async refreshNow(): Promise<void> {
    await this.inFlight;
    await (this.inFlight ?? this.start());
  }

  /** The run in flight, if any, finished (or nothing to wait for). */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private isDue(): boolean {
    return this.finishedAt === undefined || this.now() - this.finishedAt >= this.intervalMs;
  }

  private start(): Promise<void> {
    const run = this.work()
      .catch(() => undefined)
      .finally(() => {
        this.finishedAt = this.now();
        this.inFlight = undefined;
      });
    this.inFlight = run;
    return run;
  }
}
