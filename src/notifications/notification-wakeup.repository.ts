import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';

/** Channel the dispatcher listens on; notified inside the writer's transaction, so it fires on commit. */
export const NOTIFICATIONS_DUE_CHANNEL = 'notifications_due';

/**
 * The one place that wakes the dispatchers: NOTIFY inside the transaction that made work due. The payload
 * names the channels that got work ('whatsapp', 'sms,email'); empty wakes every channel's loop.
 */
export async function wakeDispatchers(m: EntityManager, channels: string): Promise<void> {
  await m.query(`SELECT pg_notify($1, $2)`, [NOTIFICATIONS_DUE_CHANNEL, channels]);
}

/** Subscribes a dedicated connection (the dispatcher's listener) to those wake-ups. */
export async function listenForWakeups(client: Client): Promise<void> {
  await client.query(`LISTEN ${NOTIFICATIONS_DUE_CHANNEL}`);
}
