import type { EntityManager } from 'typeorm';

/**
 * Rows an ingest batch holds back per transaction, to write them together in one statement (docs/decisions/0036,
 * 0046). The repository that holds them writes them before anything reads or changes its rows in that
 * transaction, so every event of the batch still sees every earlier one. Outside a held transaction nothing is
 * kept: the repository writes at once.
 */
export class HeldWrites<T> {
  private readonly held = new WeakMap<EntityManager, Map<string, T>>();

  /** From now until `m`'s transaction ends, `hold` keeps what it is given. */
  holdWithin(m: EntityManager): void {
    if (!this.held.has(m)) this.held.set(m, new Map());
  }

  /** Keeps `value` under `key` (a later value replaces the earlier, in the later's place); false when `m` holds nothing back. */
  hold(m: EntityManager, key: string, value: T): boolean {
    const held = this.held.get(m);
    if (!held) return false;
    held.delete(key);
    held.set(key, value);
    return true;
  }

  has(m: EntityManager, key: string): boolean {
    return this.held.get(m)?.has(key) ?? false;
  }

  /** Hands over what `m` holds, in the order held: all of it, or what `which` picks. */
  take(m: EntityManager, which?: (value: T) => boolean): T[] {
    const held = this.held.get(m);
    if (!held || held.size === 0) return [];
    const taken: T[] = [];
    for (const [key, value] of held) {
      if (which && !which(value)) continue;
      taken.push(value);
      held.delete(key);
    }
    return taken;
  }
}
