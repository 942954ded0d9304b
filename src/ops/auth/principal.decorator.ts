import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './ops-auth.guard';
import type { OpsPrincipal } from './ops-role';

/** The authenticated caller of an /api handler (set by OpsAuthGuard). */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): OpsPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Principal used on a route OpsAuthGuard does not protect');
  return principal;
});
