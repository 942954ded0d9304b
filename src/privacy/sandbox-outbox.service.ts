import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PRIVACY_CONFIG, PrivacyConfig, InjectConfig } from '../config/config-slices';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../vocabulary/notification-types';

const ID_LENGTH = 36;

/**
 * The sandbox outbox's files, from the erasure side: a message's copy (`<channel>/<id>.json`, `<id>.html`,
 * `<id>.<attachment>`) holds the recipient and the text, so erasing its booking removes it. Always looks
 * in OUTBOX_DIR, whatever adapter a channel uses now: files written before a switch to a provider count too.
 */
@Injectable()
export class SandboxOutbox {
  private readonly root: string;

  constructor(@InjectConfig(PRIVACY_CONFIG) config: PrivacyConfig) {
    this.root = resolve(config.OUTBOX_DIR);
  }

  /** Removes every file of these notifications; returns how many files it removed. One listing per channel. */
  async remove(notifications: { id: string; channel: DeliveryChannel }[]): Promise<number> {
    let removed = 0;
    for (const channel of DELIVERY_CHANNELS) {
      const ids = new Set(notifications.filter((n) => n.channel === channel).map((n) => n.id));
      if (ids.size === 0) continue;
      const folder = join(this.root, channel);
      const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      for (const name of names) {
        if (name[ID_LENGTH] !== '.' || !ids.has(name.slice(0, ID_LENGTH))) continue;
        await rm(join(folder, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
