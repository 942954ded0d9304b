import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './ops-auth.guard';
import type { OpsPrincipal } from './ops-role';

/**
 * The caller of a handler that needs a token (@ReadOnly or @OperatorOnly), as OpsAuthGuard authenticated it.
 * On a @Public handler there is no caller, and using it there is a programming error.
 */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): OpsPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Principal used on a @Public route: OpsAuthGuard authenticated no caller');
  return principal;
});
