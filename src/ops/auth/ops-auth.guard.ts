import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OpsPrincipal, PUBLIC_ROUTE, REQUIRED_ROLE } from './ops-role';
import { TokenStore } from './token-store';

export type AuthenticatedRequest = Request & { principal?: OpsPrincipal };

/**
 * Everything under /api needs a bearer token from OPS_API_TOKENS; handlers marked @OperatorOnly need
 * the operator role. No token: 401. A viewer trying to act: 403.
 */
@Injectable()
export class OpsAuthGuard implements CanActivate {
  private readonly tokens: TokenStore;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokens = new TokenStore(config.OPS_API_TOKENS);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const open = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (open || !request.path.startsWith('/api')) return true;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? this.tokens.authenticate(match[1]) : undefined;
    if (!principal) throw new UnauthorizedException('a valid bearer token is required');
    const required = this.reflector.getAllAndOverride<string>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (required === 'operator' && principal.role !== 'operator') {
      throw new ForbiddenException('this action needs the operator role');
    }
    request.principal = principal;
    return true;
  }
}
