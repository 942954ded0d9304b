/** The shapes of a parked event that the publisher's dead-letter copy and the events module both speak of. */

/** What the producer set on the message, kept with a parked event so a re-drive sees exactly that. */
export interface EventProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: Record<string, unknown>;
  messageId?: string;
  correlationId?: string;
  timestamp?: number;
  type?: string;
  appId?: string;
  userId?: string;
  replyTo?: string;
  priority?: number;
  expiration?: string;
}

/** The part of a parked event's body that is stored and dead-lettered, with the facts of the whole. */
export interface ParkedBody {
  /** The whole body when it was within the limit, else its first PARKED_PREFIX_BYTES bytes (src/events/parked-body.ts). */
  stored: Buffer;
  /** Size of the whole body in bytes. */
  size: number;
  /** SHA-256 (hex) of the whole body. */
  sha256: string;
  truncated: boolean;
}
