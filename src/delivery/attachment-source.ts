import type { Attachment } from '../channels/channel-adapter';
import type { NotificationRecord } from '../notifications/notification-records';

export type AttachmentInfo = Omit<Attachment, 'content'>;

/**
 * Produces a notification's attachments from stored data (the boarding pass's QR and PDF), so they are
 * re-made deterministically at each send instead of being kept as blobs.
 */
export interface AttachmentSource {
  /** What attachments the notification carries, without making them. */
  describe(notification: NotificationRecord): AttachmentInfo[];
  attachmentsFor(notification: NotificationRecord): Promise<Attachment[]>;
}

export const ATTACHMENT_SOURCE = Symbol('ATTACHMENT_SOURCE');
