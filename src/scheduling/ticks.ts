/** The tick a moment belongs to: the start of its minute or hour (UTC), the identity of one job run. */
export function tickOf(at: Date, period: 'minute' | 'hour'): Date {
  const size = period === 'minute' ? 60_000 : 3_600_000;
  return new Date(Math.floor(at.getTime() / size) * size);
}
