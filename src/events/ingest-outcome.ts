/** What became of one event: applied (with the notifications it planned), a duplicate, or parked with its reason. */
export type IngestOutcome =
  | { kind: 'applied'; type: string; notifications: number }
  | { kind: 'duplicate'; type: string }
  | { kind: 'parked'; reasonCode: string; reason: string };
