import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const AUDITED_ACTION = 'ops:audited-action';

export interface AuditedAction {
  action: string;
  /** What the action is about, read from the request (e.g. a route parameter). */
  target?: (request: Request) => string | undefined;
}

/**
 * Marks an operator action whose failures are audited (AuditFailuresInterceptor): a refused or failed
 * attempt leaves a row with outcome `failed` and the reason. Success is recorded by the action itself,
 * in its own transaction, with what it did.
 */
export const Audited = (action: string, target?: AuditedAction['target']) => SetMetadata(AUDITED_ACTION, { action, target } satisfies AuditedAction);

/** The target of most actions: the `:id` of the route. */
export const routeParam = (name: string) => (request: Request) => {
  const value: unknown = request.params?.[name];
  return typeof value === 'string' ? value.slice(0, 200) : undefined;
};
