import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AmqpNames, amqpNames, deleteAmqpNames } from '../../test/support/broker-names';
import { BenchService } from './bench-service';
import { EventFeed } from './broker';
import type { BenchContext } from './context';
import type { BenchDatabase } from './database';
import { formatProfile, profilesIn, ProfileSummary, summarizeProfile } from './cpu-profile';
import { waitUntil } from './stats';

/**
 * One scenario's world: its own database (migrated, empty), exchange and queues, sandbox outbox, and
 * `replicas` service processes side by side, plus a feed to publish events with.
 */
export class Pipeline {
  readonly services: BenchService[] = [];
  feed!: EventFeed;

  private constructor(
    private readonly ctx: BenchContext,
    readonly label: string,
    readonly db: BenchDatabase,
    readonly names: AmqpNames,
    readonly outbox: string,
  ) {}

  /** Creates the database and names; call `start` after seeding, so seeding does not compete with the service. */
  static async prepare(ctx: BenchContext, label: string): Promise<Pipeline> {
    const db = await ctx.databases.create(label);
    const outbox = mkdtempSync(join(ctx.settings.outboxRoot, `notifier-bench-${label}-`));
    return new Pipeline(ctx, label, db, amqpNames(`bench.${ctx.settings.runId}.${label}`), outbox);
  }

  /** Starts the replicas (each a `node dist/src/main.js`) and waits until they are ready. */
  async start(replicas = 1, env: Record<string, string> = {}): Promise<void> {
    const base = {
      DATABASE_URL: this.db.url,
      AMQP_URL: this.ctx.settings.amqpUrl,
      ...this.names,
      OUTBOX_DIR: this.outbox,
      CONSUMER_ENABLED: 'true',
      DISPATCHER_ENABLED: 'true',
      // Flight news deliberately waits out a coalescing window (issue 6: 5 s urgent, 60 s other). The bench
      // measures the pipeline itself, so the windows are zero; a deployment's latency adds its window.
      URGENT_NEWS_WINDOW_SECONDS: '0',
      FLIGHT_NEWS_WINDOW_SECONDS: '0',
      ...env,
    };
    // One after another: the first declares the topology and applies migrations (none left to apply).
    for (let i = 0; i < replicas; i++) {
      this.services.push(await BenchService.start(this.ctx.settings, { name: `${this.label}-${i + 1}`, env: base }));
    }
    this.feed = await EventFeed.open(this.ctx.settings, this.names.AMQP_EXCHANGE);
  }

  /** Stops the replicas and returns their CPU profiles' summaries (under --profile). */
  async stop(): Promise<ProfileSummary[]> {
    await this.feed?.close();
    await Promise.all(this.services.map((s) => s.stop()));
    const summaries: ProfileSummary[] = [];
    for (const service of this.services) {
      if (!service.profileDir) continue;
      for (const file of profilesIn(service.profileDir)) {
        const summary = summarizeProfile(file);
        summaries.push(summary);
        this.ctx.log(formatProfile(summary));
      }
    }
    return summaries;
  }

  /** Removes the database, the broker names and the outbox. */
  async dispose(): Promise<void> {
    await this.feed?.close();
    await Promise.all(this.services.map((s) => s.stop().catch(() => undefined)));
    await deleteAmqpNames(this.names, this.ctx.settings.amqpUrl).catch(() => undefined);
    rmSync(this.outbox, { recursive: true, force: true });
    await this.ctx.databases.drop(this.db);
  }
}

/** Messages the sandbox has written: one `<id>.json` per message in its channel's folder (a resend overwrites it). */
export function sandboxMessages(outbox: string): number {
  let n = 0;
  for (const folder of readdirSync(outbox, { withFileTypes: true })) {
    if (folder.isDirectory()) n += readdirSync(join(outbox, folder.name)).filter((f) => f.endsWith('.json')).length;
  }
  return n;
}

/**
 * Waits until `expected` notifications (of those `where` picks) are in `status`. Where the sandbox sends, it
 * watches the outbox and asks PostgreSQL only once every message is there (`writtenBefore`: messages already
 * in the outbox when this work began): a count over the notifications table cost PostgreSQL ≈ 165 ms a look by
 * the end of a storm, on the two cores the service is measured on (its CPU is counted apart, decision 0041).
 * Progress (for the stall check) is the messages written, then the notifications in `status`.
 */
export async function untilAllInStatus(
  pipeline: Pipeline,
  expected: number,
  status: string,
  options: { sandbox: boolean; where?: string; writtenBefore?: number },
): Promise<{ done: boolean; progress: number }> {
  return waitUntil(async () => {
    const written = options.sandbox ? sandboxMessages(pipeline.outbox) - (options.writtenBefore ?? 0) : expected;
    if (written < expected) return { done: false, progress: written };
    const finished = (await statusCounts(pipeline.db, options.where))[status] ?? 0;
    return { done: finished >= expected, progress: expected + finished };
  });
}

/** Counts of notifications by status, for polling until a scenario's work is done. */
export async function statusCounts(db: BenchDatabase, where = 'true'): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications WHERE ${where} GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * Proof that nothing was sent twice: every notification has exactly one 'attempt' in its timeline, with
 * the expected outcome, and no dedupe key occurs twice.
 */
export async function exactlyOnce(db: BenchDatabase, outcome: 'delivered' | 'accepted'): Promise<{
  notifications: number;
  attemptedOnce: number;
  attemptedMoreThanOnce: number;
  duplicateDedupeKeys: number;
}> {
  return db.one(
    `SELECT (SELECT count(*)::int FROM notifications) AS "notifications",
            (SELECT count(*)::int FROM (SELECT notification_id FROM notification_events WHERE kind = 'attempt'
               GROUP BY notification_id HAVING count(*) = 1 AND bool_and(detail->>'outcome' = $1)) once) AS "attemptedOnce",
            (SELECT count(*)::int FROM (SELECT notification_id FROM notification_events WHERE kind = 'attempt'
               GROUP BY notification_id HAVING count(*) > 1) twice) AS "attemptedMoreThanOnce",
            (SELECT (count(*) - count(DISTINCT dedupe_key))::int FROM notifications) AS "duplicateDedupeKeys"`,
    [outcome],
  );
}
