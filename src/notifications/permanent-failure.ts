import type { EntityManager } from 'typeorm';

/**
 * What runs when a provider reports a notification failed for good (delivery's fallback to the next channel).
 * Defined here, below the channels and delivery, so the status service calls it without knowing who implements it.
 */
export interface PermanentFailureHook {
  /** With `m`, inside the caller's transaction (the webhook's, whose receipt commits with it). */
  afterPermanentFailure(notificationId: string, m?: EntityManager): Promise<unknown>;
}

export const AFTER_PERMANENT_FAILURE = Symbol('AFTER_PERMANENT_FAILURE');
