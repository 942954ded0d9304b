/**
 * The value kept for `key` in `cache`, computed and kept on first ask. Past `max` entries the oldest is dropped
 * (first in, first out): the caches that use it hold what a burst repeats, so recency of use buys nothing.
 * Values are never undefined, so a hit costs one lookup (it sits on the rendering path of every message).
 */
export function rememberRecent<K, V extends NonNullable<unknown>>(cache: Map<K, V>, key: K, max: number, compute: () => V): V {
  const kept = cache.get(key);
  if (kept !== undefined) return kept;
  const value = compute();
  if (cache.size >= max) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
  return value;
}
