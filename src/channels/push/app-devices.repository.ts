import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppDevice, AppPlatform } from './app-device';

interface DeviceRow {
  installation_id: string;
  account_id: string;
  platform: AppPlatform;
  push_token: string;
  locale: string;
  created_at: Date;
  updated_at: Date;
}

const toDevice = (r: DeviceRow): AppDevice => ({
  installationId: r.installation_id,
  accountId: r.account_id,
  platform: r.platform,
  pushToken: r.push_token,
  locale: r.locale,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The airline app's devices (`app_devices`): written by the devices API and by sends that find a token dead. */
@Injectable()
export class AppDevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers or updates one installation. A token already registered under another installation (the app
   * reinstalled, its data cleared) moves here, so one phone never gets a message twice. Returns whether the
   * installation was new.
   */
  async upsert(device: Omit<AppDevice, 'createdAt' | 'updatedAt'>): Promise<{ device: AppDevice; created: boolean }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM app_devices WHERE platform = $1 AND push_token = $2 AND installation_id <> $3`, [
        device.platform,
        device.pushToken,
        device.installationId,
      ]);
      const rows: (DeviceRow & { created: boolean })[] = await m.query(
        `INSERT INTO app_devices (installation_id, account_id, platform, push_token, locale)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (installation_id) DO UPDATE SET account_id = excluded.account_id, platform = excluded.platform,
           push_token = excluded.push_token, locale = excluded.locale, updated_at = now()
         RETURNING *, (xmax = 0) AS created`,
        [device.installationId, device.accountId, device.platform, device.pushToken, device.locale],
      );
      return { device: toDevice(rows[0]), created: rows[0].created };
    });
  }

  /** Removes one installation; false when it was not registered. */
  async remove(installationId: string): Promise<boolean> {
    // A SELECT over the deletion: TypeORM answers a bare DELETE … RETURNING with [rows, count], not the rows.
    const rows: { n: number }[] = await this.dataSource.query(
      `WITH d AS (DELETE FROM app_devices WHERE installation_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [installationId],
    );
    return rows[0].n > 0;
  }

  /**
   * Removes a device its push service called dead, unless it registered another token since (the send
   * raced a fresh registration): only the token that failed goes.
   */
  async removeDeadToken(installationId: string, pushToken: string): Promise<boolean> {
    const rows: { n: number }[] = await this.dataSource.query(
      `WITH d AS (DELETE FROM app_devices WHERE installation_id = $1 AND push_token = $2 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [installationId, pushToken],
    );
    return rows[0].n > 0;
  }

  /** Every device of an account, oldest registration first. */
  async forAccount(accountId: string): Promise<AppDevice[]> {
    const rows: DeviceRow[] = await this.dataSource.query(
      `SELECT * FROM app_devices WHERE account_id = $1 ORDER BY created_at, installation_id`,
      [accountId],
    );
    return rows.map(toDevice);
  }
}
