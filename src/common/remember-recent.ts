/**
 * The value kept for `key` in `cache`, computed and kept on first ask. Past `max` entries the oldest is dropped
 * (first in, first out): the caches that use it hold what a burst repeats, so recency of use buys nothing.
 */
export function rememberRecent<K, V>(cache: Map<K, V>, key: K, max: number, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = compute();
  if (cache.size >= max) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
  return value;
}
