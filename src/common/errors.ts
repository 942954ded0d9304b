/**
 * An event that is well-formed but cannot be applied as it stands (it names a booking, passenger or
 * segment we do not know). It is parked with this reason so an operator can re-drive it later.
 */
export class UnresolvableEventError extends Error {
  readonly code = 'unknown-reference';
}
