import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/ops-auth.guard';
import { AUDITED_ACTION, AuditedAction } from './audited.decorator';
import { AuditService } from './audit.service';

/**
 * Leaves an audit row for every operator action that throws — refused input (400), a conflict (409),
 * a database error (500) — written after the action's transaction rolled back, on a connection of its
 * own. Pipes run inside interceptors, so a request refused by validation is recorded too; callers the
 * guard turned away (401, 403) never reach an action and are not.
 */
@Injectable()
export class AuditFailuresInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const audited = this.reflector.get<AuditedAction | undefined>(AUDITED_ACTION, context.getHandler());
    if (!audited) return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const who = request.principal;
        if (!who) return throwError(() => error);
        const failure = describeFailure(error);
        return from(this.audit.recordFailure(who, audited.action, { target: audited.target?.(request), ...failure })).pipe(
          mergeMap(() => throwError(() => error)),
        );
      }),
    );
  }
}

/** The HTTP status the caller gets and the reason in words (validation messages joined). */
export function describeFailure(error: unknown): { status: number; reason: string } {
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : undefined;
    const reason = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
    return { status: error.getStatus(), reason };
  }
  return { status: 500, reason: error instanceof Error ? error.message : String(error) };
}
