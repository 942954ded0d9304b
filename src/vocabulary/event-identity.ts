/** An event's identity (CloudEvents: source and id together) as one string, for maps and sets. */
export function eventIdentity(source: string, id: string): string {
  return `${source}\u0000${id}`;
}
